// Lane and element helpers for the ops kernels (dtype codes: src/abi.ts). Every float result
// must equal the cpu kernel's bits, which compute in JS numbers: a NaN read from a Float32Array
// comes back quiet with its payload, hence quiet32.

import { f32x4ToF16 } from "../f16";
import { DTYPE_F16, DTYPE_F32, DTYPE_I32, DTYPE_I8 } from "../../src/abi";


/** Sets the quiet bit of NaN lanes (float32 bits); other lanes are unchanged. */
// @ts-ignore: decorator
@inline export function quiet32(x: v128): v128 {
  return v128.or(x, v128.and(f32x4.ne(x, x), i32x4.splat(0x400000)));
}

/**
 * float16 bits (low half of each i32 lane) -> float32, exactly: the bits shifted into place
 * read as a float32 2^112 too small (subnormals included), and inf/NaN keep their payload
 * (a signalling NaN stays signalling, so quiet32 sees what the cpu sees).
 */
// @ts-ignore: decorator
@inline export function f16ToF32(h: v128): v128 {
  const mag = i32x4.shl(v128.and(h, i32x4.splat(0x7fff)), 13);
  const finite = f32x4.mul(mag, i32x4.splat(0x77800000)); // 2^112
  const special = v128.or(mag, i32x4.splat(0x7f800000));
  const r = v128.bitselect(special, finite, i32x4.ge_s(mag, i32x4.splat(0x7c00 << 13)));
  return v128.or(r, i32x4.shl(v128.and(h, i32x4.splat(0x8000)), 16));
}

/** Bytes per element of a dtype code. */
// @ts-ignore: decorator
@inline export function elementSize(dtype: i32): usize {
  return dtype == DTYPE_I8 ? 1 : dtype == DTYPE_F16 ? 2 : 4;
}

/** Element `i` of an array of `dtype` as a double (exact; NaN quiet, as the cpu reads it). */
// @ts-ignore: decorator
@inline export function valueAt(dtype: i32, base: usize, i: i32): f64 {
  if (dtype == DTYPE_F32) return <f64>load<f32>(base + (<usize>i << 2));
  if (dtype == DTYPE_F16) return f64x2.extract_lane(f64x2.promote_low_f32x4(f16ToF32(i32x4.splat(<i32>load<u16>(base + (<usize>i << 1))))), 0);
  if (dtype == DTYPE_I32) return <f64>load<i32>(base + (<usize>i << 2));
  return <f64>load<i8>(base + <usize>i);
}

/** Stores a double as float32, or as float16 through float32 (the cpu's toFloat16Bits). */
// @ts-ignore: decorator
@inline export function storeRounded(dtype: i32, dst: usize, v: f64): void {
  if (dtype == DTYPE_F32) store<f32>(dst, <f32>v);
  else store<u16>(dst, <u16>i32x4.extract_lane(f32x4ToF16(f32x4.splat(<f32>v)), 0));
}

/** True if any of the 16 float16 lanes of x and y is infinite or NaN (the fast paths' test). */
// @ts-ignore: decorator
@inline export function anyNonFiniteF16(x: v128, y: v128): bool {
  const e = i16x8.splat(0x7c00);
  return v128.any_true(v128.or(i16x8.eq(v128.and(x, e), e), i16x8.eq(v128.and(y, e), e)));
}

/**
 * float16 bits, sign-extended to i32 lanes (extend_*_i16x8_s), of finite values -> float32,
 * exactly: sign and magnitude shifted into place read as a float32 2^112 too small.
 */
// @ts-ignore: decorator
@inline export function widenFiniteF16(e: v128): v128 {
  return f32x4.mul(v128.and(i32x4.shl(e, 13), i32x4.splat(<i32>0x8fffe000)), f32x4.splat(5.192296858534828e33)); // 2^112
}
