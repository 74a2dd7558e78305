// Compiled graphs' steps that prepare once what every replay used to redo: npu_quantize with
// constant scales (lane parameters made at compile time, src/kernels/npu-quantize.ts) and the
// wasm copy and cat kernels as graph steps (a permute made contiguous, a cat of views) give the
// cpu's bits replay after replay, without allocating per replay beyond the graph's outputs.
import { beforeAll, describe, expect, it, vi } from "vitest";
import "@tsnpu/backend-cpu";
import "../src/register.js";
import { seededRandom } from "@tsnpu/conformance";
import {
  Graph,
  cat,
  float16,
  float32,
  int8,
  npuQuantize,
  relu,
  tensor,
  uint8,
  type Tensor,
} from "@tsnpu/tensor";
import { currentRuntime, ready } from "../src/backend.js";
import { bytes, randomTensor, sparseValues } from "./ops-helpers.js";

beforeAll(async () => {
  await ready({ numThreads: 1 });
});

describe("compiled steps prepared once", () => {
  it("npu_quantize per tensor and per channel: the cpu's bits every replay, no allocation per replay", () => {
    const rnd = seededRandom(7100);
    const shape = [1, 6, 9, 11];
    for (const perChannel of [false, true]) {
      const n = perChannel ? 6 : 1;
      const scales = tensor(
        Float32Array.from({ length: n }, () => 0.01 + rnd()),
        { dtype: float32 },
      );
      const zp = tensor(
        Uint8Array.from({ length: n }, () => Math.floor(rnd() * 20)),
        { dtype: uint8 },
      );
      const net = (x: Tensor) => {
        const q = npuQuantize(relu(x), scales.to(x.device), zp.to(x.device), uint8);
        // The quantized tensor and a float result: the quantize is its own step (not fused).
        return [q, x.permute(0, 2, 3, 1).contiguous()];
      };
      const first = randomTensor(rnd, float16, shape, sparseValues(0.01));
      const graph = Graph.trace(net, [first.to("wasm")]);
      const rt = currentRuntime();
      for (let r = 0; r < 3; r++) {
        const x = r === 0 ? first : randomTensor(rnd, float16, shape, sparseValues(0.01));
        const input = x.to("wasm");
        const allocations = vi.spyOn(rt, "allocStorage");
        const got = graph.run(input) as Tensor[];
        // The two outputs and nothing else (the parameters were made when compiling).
        expect(allocations, `replay ${r}`).toHaveBeenCalledTimes(2);
        allocations.mockRestore();
        const want = net(x);
        got.forEach((g, i) => expect(bytes(g), `output ${i} replay ${r}`).toEqual(bytes(want[i]!)));
        for (const g of got) g.dispose();
      }
      graph.dispose();
    }
  });

  it("cat of permuted views as a graph step equals the cpu", () => {
    const rnd = seededRandom(7200);
    const net = (a: Tensor, b: Tensor) =>
      cat(
        [a.permute(0, 2, 3, 1).reshape([1, -1, 4]), b.permute(0, 2, 3, 1).reshape([1, -1, 4])],
        1,
      );
    const a = randomTensor(rnd, int8, [1, 8, 6, 6]);
    const b = randomTensor(rnd, int8, [1, 4, 3, 3]);
    const graph = Graph.trace(net, [a.to("wasm"), b.to("wasm")]);
    const got = graph.run(a.to("wasm"), b.to("wasm")) as Tensor;
    expect(bytes(got)).toEqual(bytes(net(a, b)));
    graph.dispose();
  });
});
