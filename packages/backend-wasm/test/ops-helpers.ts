// Shared by the ops tests: seeded random values with the float specials (NaN payloads and
// signs, -0, infinities, float16 subnormals), random shapes, strided views, and the bit-for-bit
// comparison of an op on "wasm" against the cpu.
import { expect } from "vitest";
import { F16_SPECIALS, F32_SPECIALS, draws } from "@tsnpu/conformance";
import {
  type Tensor,
  float16,
  float32,
  int32,
  tensor,
  toFloat16Bits,
  type DType,
  type TypedArray,
} from "@tsnpu/tensor";

export type Rnd = () => number;
export const int = (rnd: Rnd, lo: number, hi: number) => draws(rnd).int(lo, hi);
export const pick = <T>(rnd: Rnd, xs: readonly T[]): T => draws(rnd).pick(xs);

/** Raw elements of `dtype`: specials, any bit pattern, and plain values close enough to cancel and round. */
export function values(rnd: Rnd, dtype: DType, n: number): TypedArray {
  const scale = 2 ** int(rnd, -26, 17);
  const plain = () => (rnd() - 0.5) * scale;
  switch (dtype) {
    case float32: {
      const bits = Uint32Array.from({ length: n }, () => {
        const r = rnd();
        return r < 0.15
          ? pick(rnd, F32_SPECIALS)
          : r < 0.3
            ? Math.floor(rnd() * 2 ** 32)
            : new Uint32Array(Float32Array.of(plain()).buffer)[0]!;
      });
      return new Float32Array(bits.buffer);
    }
    case float16:
      return Uint16Array.from({ length: n }, () => {
        const r = rnd();
        return r < 0.15
          ? pick(rnd, F16_SPECIALS)
          : r < 0.3
            ? int(rnd, 0, 0xffff)
            : toFloat16Bits(plain());
      });
    case int32:
      return Int32Array.from({ length: n }, () =>
        rnd() < 0.2
          ? pick(rnd, [0, -1, 1, 2 ** 31 - 1, -(2 ** 31)])
          : int(rnd, -(2 ** 31), 2 ** 31 - 1),
      );
    default:
      return Int8Array.from({ length: n }, () => int(rnd, -128, 127));
  }
}

export function randomShape(rnd: Rnd, minDims = 0): number[] {
  return Array.from({ length: int(rnd, minDims, 4) }, () => int(rnd, 1, 7));
}

/** Plain values (as in `values`) with a fraction `rate` of them replaced by specials, NaN-free ones if `noNaN`. */
export function sparseValues(rate: number, noNaN = false) {
  return (rnd: Rnd, dtype: DType, n: number): TypedArray => {
    const scale = 2 ** int(rnd, -12, 8);
    const plain = () => (rnd() - 0.5) * scale;
    const specials = (dtype === float32 ? F32_SPECIALS : F16_SPECIALS).filter(
      (b) =>
        !noNaN ||
        (b & (dtype === float32 ? 0x7fffffff : 0x7fff)) <=
          (dtype === float32 ? 0x7f800000 : 0x7c00),
    );
    const bits = Array.from({ length: n }, () =>
      rnd() < rate
        ? pick(rnd, specials)
        : dtype === float32
          ? new Uint32Array(Float32Array.of(plain()).buffer)[0]!
          : toFloat16Bits(plain()),
    );
    return dtype === float32
      ? new Float32Array(Uint32Array.from(bits).buffer)
      : Uint16Array.from(bits);
  };
}

/** A cpu tensor of random values; sometimes a transposed (strided) view. */
export function randomTensor(
  rnd: Rnd,
  dtype: DType,
  shape: readonly number[],
  gen = values,
): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const t = tensor(gen(rnd, dtype, n), { dtype }).reshape([...shape]);
  if (shape.length >= 2 && rnd() < 0.3) {
    const d = shape.length;
    return tensor(gen(rnd, dtype, n), { dtype })
      .reshape([...shape.slice(0, d - 2), shape[d - 1]!, shape[d - 2]!])
      .transpose(d - 2, d - 1);
  }
  return t;
}

/** The result's raw bytes, wherever it lives. */
export function bytes(t: Tensor): Uint8Array {
  const a = t.cpu().toTypedArray();
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/** Runs `op` on cpu inputs and on their wasm copies; the results must agree in device, shape, dtype and every bit. */
export function expectSameAsCpu(
  what: string,
  op: (...xs: Tensor[]) => Tensor,
  ...inputs: Tensor[]
): void {
  const want = op(...inputs);
  const got = op(...inputs.map((t) => t.to("wasm")));
  expect(got.device.type, what).toBe("wasm");
  expect([got.dtype.name, ...got.shape], what).toEqual([want.dtype.name, ...want.shape]);
  const [g, w] = [bytes(got), bytes(want)];
  const bad = g.findIndex((b, i) => b !== w[i]);
  if (bad >= 0) {
    const k = Math.floor(bad / want.dtype.itemSize);
    const inputsAt = inputs.map((t) =>
      Array.from(bytes(t.contiguous()).slice(k * t.dtype.itemSize, (k + 1) * t.dtype.itemSize)),
    );
    expect.fail(
      `${what}: element ${k} got ${Array.from(g.slice(k * want.dtype.itemSize, (k + 1) * want.dtype.itemSize))} want ${Array.from(w.slice(k * want.dtype.itemSize, (k + 1) * want.dtype.itemSize))} (input bytes at k ${JSON.stringify(inputsAt)})`,
    );
  }
}
