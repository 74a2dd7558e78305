// The fused float16 conv2d -> npu_quantize steps on wasm (src/kernels/conv2d.ts): compiled,
// conv2d -> npu_quantize and constant_pad_nd -> conv2d -> npu_quantize are one step each whose
// int8/uint8 result has the cpu's bits (per tensor and per channel, both div modes, on 1 and 2
// threads), for random geometries and for the BlazeFace convs (depthwise 3x3 and 5x5, stride 1
// and 2 with asymmetric pads, the 3 -> 24 5x5 stride-2 first conv). The float16 rounding of
// the conv result must stay in the arithmetic: the same graph computed in float32 (no rounding)
// quantizes to other bits, so a step skipping it fails.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import "@tsnpu/backend-cpu";
import { seededRandom } from "@tsnpu/conformance";
import {
  Graph,
  constantPadNd,
  conv2d,
  float16,
  float32,
  int32,
  int8,
  npuQuantize,
  tensor,
  uint8,
  type Conv2dOptions,
  type DType,
  type Tensor,
} from "@tsnpu/tensor";
import { wasm } from "../src/index.js";
import { depthwiseCase, randomCase } from "./conv-cases.js";
import { bytes, int, pick, randomTensor, sparseValues, type Rnd } from "./ops-helpers.js";

beforeAll(async () => {
  await wasm.ready({ numThreads: 2, minParallelMacs: 0 });
});
afterAll(() => wasm.setNumThreads(wasm.runtime().numThreads));

interface QuantCase {
  readonly label: string;
  readonly x: Tensor;
  readonly w: Tensor;
  readonly b: Tensor | null;
  readonly options: Conv2dOptions;
  /** constant_pad_nd's pads before the conv (the conv then has none), or null. */
  readonly pad: number[] | null;
}

/** The network's float16 convs: depthwise 3x3/5x5 (stride 1, pad k/2; stride 2 after an asymmetric pad), the first conv. */
function blazeFaceCase(rnd: Rnd): QuantCase {
  const gen = sparseValues(0);
  const kind = pick(rnd, ["dw", "dw-s2", "first"] as const);
  const k = kind === "first" ? 5 : pick(rnd, [3, 5]);
  const c = kind === "first" ? 3 : int(rnd, 1, 12);
  const cout = kind === "first" ? int(rnd, 1, 24) : c;
  const [h, w] = [int(rnd, 4, 40), int(rnd, 4, 70)];
  // relu'd, as in the network: windows of zeros give +-0 results without a bias.
  const x = randomTensor(rnd, float16, [1, c, h, w], gen).relu();
  const wt = randomTensor(rnd, float16, [cout, kind === "first" ? c : 1, k, k], gen);
  const b = rnd() < 0.5 ? null : randomTensor(rnd, float16, [cout], gen);
  const strided = kind !== "dw";
  const options: Conv2dOptions = {
    stride: strided ? 2 : 1,
    padding: strided ? 0 : k >> 1,
    groups: kind === "first" ? 1 : c,
  };
  const pad = strided
    ? [k >> 1, (k - 1) >> 1, k >> 1, (k - 1) >> 1].map((p) => p - 1 + int(rnd, 0, 1))
    : null;
  return { label: `${kind} x ${x.shape} w ${wt.shape} pad ${pad}`, x, w: wt, b, options, pad };
}

function randomQuantCase(rnd: Rnd): QuantCase {
  const c = randomCase(rnd, float16);
  if (rnd() < 0.5) return { ...c, pad: null };
  const pad = [int(rnd, 0, 2), int(rnd, 0, 2), int(rnd, 0, 2), int(rnd, 0, 2)];
  return { ...c, options: { ...c.options, padding: 0 }, pad, label: `${c.label} pad ${pad}` };
}

/**
 * Quantize parameters scaled to the conv result's finite range, so the results spread over the
 * 8 bits. divMode false (multiplying by the scale, float32 zero points) only per tensor into int8.
 */
function quantizeParams(
  rnd: Rnd,
  y: Tensor,
  perChannel: boolean,
  dtype: DType,
  divMode = rnd() < 0.7,
) {
  const values = [...(y.to(float32).cpu().toTypedArray() as Float32Array)].filter(Number.isFinite);
  const big = Math.max(1e-3, ...values.map(Math.abs));
  const n = perChannel && divMode ? y.shape[1]! : 1;
  const scales = Float32Array.from({ length: n }, () => big / (20 + rnd() * 200));
  const zeros = Array.from({ length: n }, () => int(rnd, -20, 20) + (dtype === uint8 ? 128 : 0));
  const zeroPoints =
    rnd() < 0.2
      ? null
      : divMode
        ? tensor(Int32Array.from(zeros), { dtype: int32 }).to(dtype)
        : tensor(Float32Array.from(zeros));
  return divMode
    ? { scales: tensor(scales), zeroPoints, divMode, dtype }
    : { scales: tensor(Float32Array.from(scales, (s) => 1 / s)), zeroPoints, divMode, dtype: int8 };
}

type Quantize = ReturnType<typeof quantizeParams>;

const convOf = (c: QuantCase) => (x: Tensor, w: Tensor, b: Tensor | null) =>
  conv2d(c.pad ? constantPadNd(x, c.pad, 0) : x, w, b, c.options);

/** The compiled fused graph against the cpu; `q` drawn for the case unless given. */
function check(c: QuantCase, rnd: Rnd, threads: number, given?: { q: Quantize }): void {
  wasm.setNumThreads(threads);
  const conv = convOf(c);
  const q =
    given?.q ?? quantizeParams(rnd, conv(c.x, c.w, c.b), rnd() < 0.6, pick(rnd, [int8, uint8]));
  const dtype = q.dtype;
  const net = (x: Tensor, w: Tensor, b: Tensor | null, s: Tensor, z: Tensor | null) =>
    npuQuantize(conv(x, w, b), s, z, dtype, { divMode: q.divMode });
  const want = net(c.x, c.w, c.b, q.scales, q.zeroPoints);
  const label = `${c.label} ${dtype.name} scales ${q.scales.shape} div ${q.divMode} ${threads}t`;
  const [w, b, s, z] = [c.w, c.b, q.scales, q.zeroPoints].map((t) => t?.to("wasm") ?? null);
  const x = c.x.to("wasm");
  const graph = Graph.trace(
    (input) => net(input, w!, b ?? null, s!, z ?? null),
    [{ shape: x.shape, dtype: float16, device: x.device }],
  );
  expect(
    graph.fused.map((f) => f.name),
    label,
  ).toEqual([c.pad ? "constant_pad_nd+conv2d+npu_quantize" : "conv2d+npu_quantize"]);
  for (let call = 0; call < 2; call++)
    expect(bytes(graph.run(x) as Tensor), label).toEqual(bytes(want));
  graph.dispose();
}

/** The same graph with the conv in float32: its result is not rounded to float16 before quantizing. */
function unrounded(c: QuantCase, dtype: DType, s: Tensor, z: Tensor | null): Tensor {
  const f = (t: Tensor | null) => t?.to(float32) ?? null;
  const x = f(c.x)!;
  const y = conv2d(c.pad ? constantPadNd(x, c.pad, 0) : x, f(c.w)!, f(c.b), c.options);
  return npuQuantize(y, s, z, dtype);
}

describe("fused conv2d -> npu_quantize on wasm equals the cpu bit for bit", () => {
  for (const threads of [1, 2]) {
    it(`random geometries, ${threads} thread(s)`, () => {
      const rnd = seededRandom(4000 + threads);
      for (let i = 0; i < 24; i++) check(randomQuantCase(rnd), rnd, threads);
    });
    it(`depthwise, many channels, small planes, ${threads} thread(s)`, () => {
      const rnd = seededRandom(5500 + threads);
      for (let i = 0; i < 24; i++) {
        const c = depthwiseCase(rnd, float16, false);
        if (rnd() < 0.4) check({ ...c, pad: null }, rnd, threads);
        else {
          // The padding as a fused constant_pad_nd's (asymmetric) zeros instead.
          const k = c.w.shape[2]!;
          const pad = Array.from({ length: 4 }, () => int(rnd, 0, k - 1));
          const options = { ...c.options, padding: 0 };
          const fits =
            c.x.shape[2]! + pad[2]! + pad[3]! >= k && c.x.shape[3]! + pad[0]! + pad[1]! >= k;
          check(
            { ...c, options, pad: fits ? pad : [k, k, k, k], label: `${c.label} pad ${pad}` },
            rnd,
            threads,
          );
        }
      }
    });
    it(`BlazeFace's convs, ${threads} thread(s)`, () => {
      const rnd = seededRandom(5000 + threads);
      for (let i = 0; i < 16; i++) check(blazeFaceCase(rnd), rnd, threads);
    });
  }

  it("keeps the pad fused when the loops do not take the quantize (int32 results)", () => {
    const rnd = seededRandom(7000);
    for (let i = 0; i < 4; i++) {
      const c = blazeFaceCase(rnd);
      const pad = c.pad ?? [1, 1, 1, 1];
      const options = { ...c.options, padding: 0 };
      const scales = tensor(Float32Array.of(0.01 + rnd() * 0.1));
      const net = (x: Tensor, w: Tensor, b: Tensor | null, s: Tensor) =>
        npuQuantize(conv2d(constantPadNd(x, pad, 0), w, b, options), s, null, int32);
      const want = net(c.x, c.w, c.b, scales);
      const [w, b, s] = [c.w, c.b, scales].map((t) => t?.to("wasm") ?? null);
      const x = c.x.to("wasm");
      const graph = Graph.trace(
        (input) => net(input, w!, b ?? null, s!),
        [{ shape: x.shape, dtype: float16, device: x.device }],
      );
      expect(graph.fused.map((f) => f.name)).toEqual(["constant_pad_nd+conv2d+npu_quantize"]);
      expect(bytes(graph.run(x) as Tensor), c.label).toEqual(bytes(want));
      graph.dispose();
    }
  });

  it("takes the fast quantize lanes per chunk: a channel whose factor is infinite takes the general ones", () => {
    const rnd = seededRandom(6100);
    for (const threads of [1, 2]) {
      for (let i = 0; i < 4; i++) {
        const c = blazeFaceCase(rnd);
        const q = quantizeParams(rnd, convOf(c)(c.x, c.w, c.b), true, int8, true);
        const n = q.scales.numel();
        const scales = Float32Array.from(q.scales.toTypedArray() as Float32Array);
        scales[int(rnd, 0, n - 1)] = 1e-45; // its factor fround(1 / s) is infinite: not the fast lanes
        check(c, rnd, threads, { q: { ...q, scales: tensor(scales) } });
      }
    }
  });

  it("depends on the float16 rounding of the conv result (a step without it would differ)", () => {
    const rnd = seededRandom(6000);
    const c: QuantCase = {
      label: "depthwise 3x3 [1,8,32,32]",
      x: randomTensor(rnd, float16, [1, 8, 32, 32], sparseValues(0)),
      w: randomTensor(rnd, float16, [8, 1, 3, 3], sparseValues(0)),
      b: null,
      options: { padding: 1, groups: 8 },
      pad: null,
    };
    const y = convOf(c)(c.x, c.w, c.b);
    const q = quantizeParams(rnd, y, false, int8, true);
    const rounded = npuQuantize(y, q.scales, q.zeroPoints, int8);
    expect(bytes(unrounded(c, int8, q.scales, q.zeroPoints))).not.toEqual(bytes(rounded));
    check(c, rnd, 1, { q });
  });
});
