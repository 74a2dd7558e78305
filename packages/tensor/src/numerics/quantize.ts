// The element arithmetic of npu_quantize (docs/semantics/npu-quantize.md section 2), shared by
// the cpu kernel and the simulated NPU's Vector unit. Every value is a JS number holding a
// float32; each Math.fround is one float32 rounding of the spec.

import { int32, type DType, int8 } from "../dtype.js";

/** What a quantize kernel needs to know about the shapes, already validated by the meta function. */
export interface QuantizeGeometry {
  /** Elements before the channel axis, along it, and after it (row-major). */
  readonly outer: number;
  readonly channels: number;
  readonly inner: number;
  /** The channel axis, non-negative. */
  readonly axis: number;
  /** One scale (and zero point) for every element. */
  readonly perTensor: boolean;
}

/** The saturation bounds of an output dtype (step 5). */
export function quantizeRange(dtype: DType): readonly [number, number] {
  if (dtype === int8) return [-128, 127];
  if (dtype === int32) return [-(2 ** 31), 2 ** 31 - 1];
  return [0, 255];
}

/** Round half to even of an integral-or-not float32 value (nearbyint). */
export function rintHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Saturation to [lo, hi] (steps 5, 6); NaN stays NaN for the caller to replace. */
function saturate(q: number, lo: number, hi: number): number {
  return q >= hi ? hi : q <= lo ? lo : q;
}

/** div_mode true: `float32(float32(z) + rint(float32(x * inv)))`, saturated; `inv = fround(1 / s)`; NaN for NaN. */
export function quantizeDivTrue(x: number, inv: number, z: number, lo: number, hi: number): number {
  return saturate(Math.fround(Math.fround(z) + rintHalfEven(Math.fround(x * inv))), lo, hi);
}

/** div_mode false: `rint(float32(float32(x * s) + z))`, saturated (x, s, z float32); NaN for NaN. */
export function quantizeDivFalse(x: number, s: number, z: number, lo: number, hi: number): number {
  return saturate(rintHalfEven(Math.fround(Math.fround(x * s) + z)), lo, hi);
}

/** Per channel: the float32 factor (div mode: fround(1 / s), step 1; else s), the float32 zero point, and what a NaN gives. */
export interface QuantizeChannelParams {
  readonly factor: Float32Array;
  readonly zero: Float32Array;
  /** z saturated (step 6); 0 for a NaN zero point (divMode false) [assume]. */
  readonly nan: Int32Array;
}

export function quantizeChannelParams(
  scales: ArrayLike<number>,
  zeroPoints: ArrayLike<number> | null,
  divMode: boolean,
  dtype: DType,
): QuantizeChannelParams {
  const [lo, hi] = quantizeRange(dtype);
  const n = scales.length;
  const factor = new Float32Array(n);
  const zero = new Float32Array(n);
  const nan = new Int32Array(n);
  for (let c = 0; c < n; c++) {
    factor[c] = divMode ? 1 / scales[c]! : scales[c]!;
    const z = zeroPoints ? zeroPoints[c]! : 0;
    zero[c] = z;
    // NaN gives z saturated (step 6); Int32Array stores a NaN zero point's NaN as 0.
    nan[c] = saturate(divMode ? z : rintHalfEven(z), lo, hi);
  }
  return { factor, zero, nan };
}

/**
 * Quantizes row-major `x` (float32 values) into `out` with per-channel or per-tensor `scales`
 * and `zeroPoints` (float32 values; null = 0): the whole op for kernels that compute in JS.
 */
export function quantizeValues(
  g: QuantizeGeometry,
  x: ArrayLike<number>,
  scales: ArrayLike<number>,
  zeroPoints: ArrayLike<number> | null,
  divMode: boolean,
  dtype: DType,
  out: { [k: number]: number },
): void {
  const [lo, hi] = quantizeRange(dtype);
  const element = divMode ? quantizeDivTrue : quantizeDivFalse;
  const { factor, zero, nan } = quantizeChannelParams(scales, zeroPoints, divMode, dtype);
  let k = 0;
  for (let o = 0; o < g.outer; o++) {
    for (let c = 0; c < g.channels; c++) {
      const ci = g.perTensor ? 0 : c;
      const f = factor[ci]!;
      const z = zero[ci]!;
      for (let i = 0; i < g.inner; i++, k++) {
        const q = element(x[k]!, f, z, lo, hi);
        out[k] = Number.isNaN(q) ? nan[ci]! : q;
      }
    }
  }
}
