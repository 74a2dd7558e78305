// conv2d on "wasm" (assembly/conv-float.ts) against the cpu kernel, bit for bit: seeded random
// geometries (groups, depthwise, pointwise, strides, dilations, padding incl. "same"), float32
// and float16, with and without bias, values with specials (NaN, infinities, -0, subnormals:
// padded taps masked) or without (padded taps added as zeros), strided inputs (transposed, or
// views read in place); rows from 1 to 80 columns (every block width, the moved-back last
// vector); on 1 and 2 threads, eager and compiled; and the compiled constant_pad_nd -> conv2d
// step (asymmetric ONNX pads) against the same two ops on the cpu.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import "@tsnpu/backend-cpu";
import { seededRandom } from "@tsnpu/conformance";
import { Graph, constantPadNd, conv2d, float16, float32, type Tensor } from "@tsnpu/tensor";
import { wasm } from "../src/index.js";
import { depthwiseCase, randomCase } from "./conv-cases.js";
import { bytes, expectSameAsCpu, int } from "./ops-helpers.js";

beforeAll(async () => {
  await wasm.ready({ numThreads: 2, minParallelMacs: 0 });
});
afterAll(() => wasm.setNumThreads(wasm.runtime().numThreads));

describe("wasm conv2d equals the cpu bit for bit", () => {
  for (const threads of [1, 2]) {
    for (const dtype of [float32, float16]) {
      const eager = [
        ["40 random geometries", randomCase, 1000],
        ["40 depthwise convs with many channels on small planes", depthwiseCase, 1500],
      ] as const;
      for (const [what, make, seed] of eager) {
        it(`eager, ${dtype.name}, ${threads} thread(s), ${what}`, () => {
          wasm.setNumThreads(threads);
          const rnd = seededRandom(seed + threads * 10 + (dtype === float16 ? 1 : 0));
          for (let i = 0; i < 40; i++) {
            const c = make(rnd, dtype);
            expectSameAsCpu(
              c.label,
              (x, w, b) => conv2d(x!, w!, c.b ? b : null, c.options),
              c.x,
              c.w,
              c.b ?? c.w,
            );
          }
        });
      }

      it(`compiled, ${dtype.name}, ${threads} thread(s)`, () => {
        wasm.setNumThreads(threads);
        const rnd = seededRandom(2000 + threads * 10 + (dtype === float16 ? 1 : 0));
        for (let i = 0; i < 12; i++) {
          const c = randomCase(rnd, dtype);
          const want = conv2d(c.x, c.w, c.b, c.options);
          const [w, b] = [c.w.to("wasm"), c.b?.to("wasm") ?? null];
          const x = c.x.to("wasm");
          const graph = Graph.trace(
            (input) => conv2d(input, w, b, c.options),
            [{ shape: x.shape, dtype, device: x.device }],
          );
          for (let call = 0; call < 2; call++) {
            const got = graph.run(x) as Tensor;
            expect(bytes(got), c.label).toEqual(bytes(want));
          }
          graph.dispose();
        }
      });
    }
  }

  for (const threads of [1, 2]) {
    for (const dtype of [float32, float16]) {
      it(`compiled constant_pad_nd -> conv2d (one step), ${dtype.name}, ${threads} thread(s)`, () => {
        wasm.setNumThreads(threads);
        const rnd = seededRandom(3000 + threads * 10 + (dtype === float16 ? 1 : 0));
        for (let i = 0; i < 16; i++) {
          const c = randomCase(rnd, dtype);
          // ONNX's asymmetric pads: before and after each spatial dim, the conv unpadded.
          const pad = [int(rnd, 0, 2), int(rnd, 0, 2), int(rnd, 0, 2), int(rnd, 0, 2)];
          const options = { ...c.options, padding: 0 };
          const net = (x: Tensor, w: Tensor, b: Tensor | null) =>
            conv2d(constantPadNd(x, pad, 0), w, b, options);
          const label = `${c.label} pad ${pad}`;
          const want = net(c.x, c.w, c.b);
          const [w, b] = [c.w.to("wasm"), c.b?.to("wasm") ?? null];
          const x = c.x.to("wasm");
          const graph = Graph.trace(
            (input) => net(input, w, b),
            [{ shape: x.shape, dtype, device: x.device }],
          );
          expect(
            graph.fused.map((f) => f.name),
            label,
          ).toEqual(["constant_pad_nd+conv2d"]);
          expect(bytes(graph.run(x) as Tensor), label).toEqual(bytes(want));
          graph.dispose();
        }
      });
    }
  }
});
