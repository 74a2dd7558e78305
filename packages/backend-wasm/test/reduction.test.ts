// sum, mean, amax, amin and argmax on "wasm" against the cpu kernels, bit for bit (float32,
// float16, int32, int8; integer sums give int64): seeded random shapes, every combination of reduced dims (none, one, several, all, negative),
// keepdim, strided inputs, and values with the float specials (NaN payloads, -0, infinities,
// float16 subnormals, sums that overflow float16); plus a global average pool head without
// fallback. A NaN result only has to be a NaN: the cpu's sign and payload of a NaN result
// depend on V8's internal array element kinds (measured: some came out as 0x7fc00000, others
// with an input NaN's sign and payload, and 0 / 0 as 0xffc00000).
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import "@tsnpu/backend-cpu";
import { seededRandom } from "@tsnpu/conformance";
import {
  KernelNotFoundError,
  amax,
  amin,
  argmax,
  float16,
  float32,
  int32,
  int64,
  int8,
  mean,
  setFallback,
  sum,
  tensor,
  type Tensor,
} from "@tsnpu/tensor";
import { wasm } from "../src/index.js";
import {
  expectSameAsCpu,
  int,
  pick,
  randomShape,
  randomTensor,
  sparseValues,
  values,
  type Rnd,
} from "./ops-helpers.js";

beforeAll(async () => {
  await wasm.ready({ numThreads: 1 });
});
afterEach(() => setFallback("wasm", "refuse"));

/** `t` (on its device) with every NaN replaced by the canonical quiet NaN. */
function canonicalNaNs(t: Tensor): Tensor {
  const raw = t.cpu().toTypedArray();
  if (t.dtype === float32) {
    const bits = new Uint32Array(Float32Array.from(raw as Float32Array).buffer);
    for (let i = 0; i < bits.length; i++)
      if ((bits[i]! & 0x7fffffff) > 0x7f800000) bits[i] = 0x7fc00000;
    return tensor(new Float32Array(bits.buffer))
      .reshape([...t.shape])
      .to(t.device);
  }
  if (t.dtype === float16) {
    const bits = Uint16Array.from(raw as Uint16Array, (b) => ((b & 0x7fff) > 0x7c00 ? 0x7e00 : b));
    return tensor(bits, { dtype: float16 })
      .reshape([...t.shape])
      .to(t.device);
  }
  return t;
}

/** A random `dim` argument for a tensor of `nd` dims: undefined, one dim, or a list (maybe negative). */
function randomDims(rnd: Rnd, nd: number): number | number[] | undefined {
  const r = rnd();
  if (nd === 0 || r < 0.15) return undefined;
  const signed = (d: number) => (rnd() < 0.3 ? d - nd : d);
  if (r < 0.5) return signed(int(rnd, 0, nd - 1));
  const dims = [...Array(nd).keys()].filter(() => rnd() < 0.5).map(signed);
  return dims.length ? dims.sort(() => rnd() - 0.5) : [signed(nd - 1)];
}

const REDUCTIONS = [
  ["sum", sum],
  ["mean", mean],
  ["amax", amax],
  ["amin", amin],
] as const;
const CASES = 80;

describe("wasm reductions equal the cpu bit for bit", () => {
  for (const [name, op] of REDUCTIONS) {
    for (const dtype of name === "mean" ? [float32, float16] : [float32, float16, int32, int8]) {
      it(`${name} ${dtype.name}: dims, keepdim, strided inputs, ${dtype.kind === "float" ? "specials" : "extremes"}`, () => {
        const rnd = seededRandom(500 + name.length * 7 + dtype.itemSize);
        for (let c = 0; c < CASES; c++) {
          const gen =
            dtype.kind === "float"
              ? pick(rnd, [values, sparseValues(0.05), sparseValues(0.02, true)])
              : values;
          const x = randomTensor(rnd, dtype, randomShape(rnd), gen);
          const dim = randomDims(rnd, x.ndim);
          const keepdim = rnd() < 0.5;
          expectSameAsCpu(
            `case ${c} dim ${JSON.stringify(dim)} keepdim ${keepdim} shape [${x.shape}]`,
            (t) => canonicalNaNs(op(t, dim, keepdim)),
            x,
          );
        }
      });
    }
  }

  for (const dtype of [float32, float16, int32, int8]) {
    it(`argmax ${dtype.name}: one dim or flattened, keepdim, ties${dtype.kind === "float" ? ", NaN first" : ""}`, () => {
      const rnd = seededRandom(600 + dtype.itemSize);
      for (let c = 0; c < CASES; c++) {
        const shape = randomShape(rnd);
        // Few distinct values, so ties are common.
        const spread =
          rnd() < 0.5 && dtype.kind === "float"
            ? randomTensor(rnd, dtype, shape, sparseValues(0.1))
            : randomTensor(rnd, dtype, shape);
        const x =
          rnd() < 0.5
            ? spread
            : tensor(
                Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => int(rnd, -2, 2)),
                { dtype },
              ).reshape(shape);
        const dim = x.ndim && rnd() < 0.8 ? int(rnd, -x.ndim, x.ndim - 1) : undefined;
        const keepdim = rnd() < 0.5;
        expectSameAsCpu(
          `case ${c} dim ${dim} keepdim ${keepdim} shape [${x.shape}]`,
          (t) => argmax(t, dim, keepdim),
          x,
        );
      }
    });
  }

  it("sums: NaN payloads, inf - inf, -0 only, float16 overflow and double rounding, empty dims", () => {
    const f32 = (bits: number[]) => tensor(new Float32Array(Uint32Array.from(bits).buffer));
    const f16 = (bits: number[]) => tensor(Uint16Array.from(bits), { dtype: float16 });
    const cases: Tensor[] = [
      f32([0x3f800000, 0x7fc00aaa, 0x40000000, 0xffc00bbb]), // NaNs with payloads
      f32([0x7f800001, 0x3f800000]), // a signalling NaN, quieted on the way in
      f32([0x7f800000, 0xff800000, 0x3f800000]), // inf - inf
      f32([0x80000000, 0x80000000]), // -0 + -0 from +0
      f32([0x3f800000, 0x5d800000, 0xdd800000]), // 1 + 2^60 - 2^60: 0 in index order, 1 backwards
      f16([0x7bff, 0x7bff, 0xfbff]), // 65504 * 2 - 65504: fine in doubles
      f16([0x7bff, 0x0400]), // 65504 + 2^-14 rounds back down
      f16([0x3c00, 0x1400, 0x1400]), // 1 + 2^-10 + 2^-10: float32 first, then float16
      f16([0x7e12, 0x3c00, 0xfe34]),
      tensor(new Float32Array(0)).reshape(0, 3), // sum/mean over an empty dim
    ];
    for (const x of cases) {
      for (const [name, op] of [
        ["sum", sum],
        ["mean", mean],
      ] as const) {
        expectSameAsCpu(
          `${name} of ${x.dtype.name} [${x.shape}]`,
          (t) => canonicalNaNs(op(t, 0)),
          x,
        );
      }
      if (x.numel() > 0) {
        expectSameAsCpu(`amax of ${x.dtype.name} [${x.shape}]`, (t) => canonicalNaNs(amax(t)), x);
        expectSameAsCpu(`amin of ${x.dtype.name} [${x.shape}]`, (t) => canonicalNaNs(amin(t)), x);
        expectSameAsCpu(`argmax of ${x.dtype.name} [${x.shape}]`, (t) => argmax(t), x);
      }
    }
  });

  it("a global average pool (mean over H, W) reads the input in place; over C it copies first", () => {
    const rnd = seededRandom(700);
    const x = randomTensor(rnd, float16, [2, 8, 5, 5], sparseValues(0.02, true));
    expectSameAsCpu("mean [2, 3]", (t) => canonicalNaNs(mean(t, [2, 3])), x);
    expectSameAsCpu("mean [1] keepdim", (t) => canonicalNaNs(mean(t, 1, true)), x);
    expectSameAsCpu("argmax of the pooled logits", (t) => argmax(mean(t, [-1, -2]), 1), x);
  });

  it("integer sums are int64 and wrap there; int64 inputs have no wasm kernel: refused, or run on the cpu after setFallback", () => {
    const big = tensor(
      Int32Array.from({ length: 6 }, (_, i) => (i % 2 ? -(2 ** 31) : 2 ** 31 - 1)),
    );
    expectSameAsCpu("sum of int32 extremes", (t) => sum(t), big);
    expect(sum(big.to("wasm")).tolist()).toBe(-3n);
    const x = tensor(BigInt64Array.of(3n, -1n, 7n)).to("wasm");
    expect(x.dtype).toBe(int64);
    expect(() => sum(x)).toThrow(KernelNotFoundError);
    expect(() => argmax(x)).toThrow(KernelNotFoundError);
    setFallback("wasm", "cpu");
    expect(sum(x).tolist()).toBe(9n);
    expect(argmax(x).tolist()).toBe(2n);
  });
});
