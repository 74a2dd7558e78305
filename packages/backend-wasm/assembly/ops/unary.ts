// relu, clamp, neg and abs over n contiguous elements. relu keeps -0 and NaN (`x < 0 ? 0 : x`);
// clamp is the cpu's min(max(x, lo), hi) in float32, which holds every float16 value and both
// bounds (the cpu rounds them to float32) exactly, so one rounding to float16 at the end matches.
// neg and abs only touch the sign bit of floats: V8 on x86 flips / clears it on NaN too (and the
// cpu's read quiets them); integers wrap, so neg and abs of the minimum are the minimum.

import { f32x4ToF16 } from "../f16";
import { DTYPE_F16, DTYPE_F32, DTYPE_I32, UNARY_ABS, UNARY_NEG } from "../../src/abi";
import { f16ToF32, quiet32 } from "./lanes";

export function relu(dtype: i32, src: usize, dst: usize, n: i32): void {
  if (dtype == DTYPE_F32) reluF32(src, dst, n);
  else if (dtype == DTYPE_F16) reluF16(src, dst, n);
  else if (dtype == DTYPE_I32) reluI32(src, dst, n);
  else reluI8(src, dst, n);
}

function reluI32(src: usize, dst: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(dst + (<usize>i << 2), i32x4.max_s(v128.load(src + (<usize>i << 2)), i32x4.splat(0)));
  for (; i < n; i++) store<i32>(dst + (<usize>i << 2), max(load<i32>(src + (<usize>i << 2)), 0));
}

function reluI8(src: usize, dst: usize, n: i32): void {
  let i = 0;
  for (; i + 16 <= n; i += 16) v128.store(dst + <usize>i, i8x16.max_s(v128.load(src + <usize>i), i8x16.splat(0)));
  for (; i < n; i++) store<i8>(dst + <usize>i, max(load<i8>(src + <usize>i), 0));
}

// @ts-ignore: decorator
@inline function reluF32Lanes(x: v128): v128 {
  return quiet32(v128.bitselect(f32x4.splat(0), x, f32x4.lt(x, f32x4.splat(0))));
}

function reluF32(src: usize, dst: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(dst + (<usize>i << 2), reluF32Lanes(v128.load(src + (<usize>i << 2))));
  for (; i < n; i++) v128.store32_lane(dst + (<usize>i << 2), reluF32Lanes(v128.load32_splat(src + (<usize>i << 2))), 0);
}

/** On the bits: negative finite non-zero (0x8001..0xfc00 as i16) -> +0; NaN gets its quiet bit. */
// @ts-ignore: decorator
@inline export function reluF16Lanes(h: v128): v128 {
  const negative = v128.and(i16x8.gt_s(h, i16x8.splat(-0x8000)), i16x8.le_s(h, i16x8.splat(<i16>0xfc00)));
  const nan = i16x8.gt_u(v128.and(h, i16x8.splat(0x7fff)), i16x8.splat(0x7c00));
  return v128.or(v128.andnot(h, negative), v128.and(nan, i16x8.splat(0x200)));
}

function reluF16(src: usize, dst: usize, n: i32): void {
  let i = 0;
  for (; i + 8 <= n; i += 8) v128.store(dst + (<usize>i << 1), reluF16Lanes(v128.load(src + (<usize>i << 1))));
  for (; i < n; i++) v128.store16_lane(dst + (<usize>i << 1), reluF16Lanes(v128.load16_splat(src + (<usize>i << 1))), 0);
}

/** nan: the float32 bits the cpu's Math.max gives for a NaN operand (not the operand's payload). */
// @ts-ignore: decorator
@inline function clampLanes(x: v128, lo: v128, hi: v128, nan: v128): v128 {
  const r = f32x4.min(f32x4.max(x, lo), hi);
  return v128.bitselect(nan, r, f32x4.ne(r, r));
}

export function clamp(dtype: i32, src: usize, dst: usize, n: i32, lo: f32, hi: f32, nanBits: i32): void {
  const l = f32x4.splat(lo);
  const h = f32x4.splat(hi);
  const nan = i32x4.splat(nanBits);
  let i = 0;
  if (dtype == DTYPE_F32) {
    for (; i + 4 <= n; i += 4) v128.store(dst + (<usize>i << 2), clampLanes(v128.load(src + (<usize>i << 2)), l, h, nan));
    for (; i < n; i++) v128.store32_lane(dst + (<usize>i << 2), clampLanes(v128.load32_splat(src + (<usize>i << 2)), l, h, nan), 0);
    return;
  }
  for (; i + 4 <= n; i += 4) {
    const r = f32x4ToF16(clampLanes(f16ToF32(i32x4.extend_low_i16x8_u(v128.load64_zero(src + (<usize>i << 1)))), l, h, nan));
    v128.store64_lane(dst + (<usize>i << 1), i16x8.narrow_i32x4_u(r, r), 0);
  }
  for (; i < n; i++) {
    const r = f32x4ToF16(clampLanes(f16ToF32(i32x4.splat(<i32>load<u16>(src + (<usize>i << 1)))), l, h, nan));
    store<u16>(dst + (<usize>i << 1), <u16>i32x4.extract_lane(r, 0));
  }
}

// @ts-ignore: decorator
@inline function signF32Lanes(op: i32, x: v128): v128 {
  return quiet32(op == UNARY_NEG ? f32x4.neg(x) : f32x4.abs(x));
}

/** On the bits: flip or clear bit 15; NaN gets its quiet bit, as the round trip through float32 gives. */
// @ts-ignore: decorator
@inline function signF16Lanes(op: i32, h: v128): v128 {
  const r = op == UNARY_NEG ? v128.xor(h, i16x8.splat(-0x8000)) : v128.and(h, i16x8.splat(0x7fff));
  const nan = i16x8.gt_u(v128.and(h, i16x8.splat(0x7fff)), i16x8.splat(0x7c00));
  return v128.or(r, v128.and(nan, i16x8.splat(0x200)));
}

// @ts-ignore: decorator
@inline function signLoop(op: i32, dtype: i32, src: usize, dst: usize, n: i32): void {
  let i = 0;
  if (dtype == DTYPE_F32) {
    for (; i + 4 <= n; i += 4) v128.store(dst + (<usize>i << 2), signF32Lanes(op, v128.load(src + (<usize>i << 2))));
    for (; i < n; i++) v128.store32_lane(dst + (<usize>i << 2), signF32Lanes(op, v128.load32_splat(src + (<usize>i << 2))), 0);
  } else if (dtype == DTYPE_F16) {
    for (; i + 8 <= n; i += 8) v128.store(dst + (<usize>i << 1), signF16Lanes(op, v128.load(src + (<usize>i << 1))));
    for (; i < n; i++) v128.store16_lane(dst + (<usize>i << 1), signF16Lanes(op, v128.load16_splat(src + (<usize>i << 1))), 0);
  } else if (dtype == DTYPE_I32) {
    for (; i + 4 <= n; i += 4) {
      const x = v128.load(src + (<usize>i << 2));
      v128.store(dst + (<usize>i << 2), op == UNARY_NEG ? i32x4.neg(x) : i32x4.abs(x));
    }
    for (; i < n; i++) {
      const x = v128.load32_splat(src + (<usize>i << 2));
      v128.store32_lane(dst + (<usize>i << 2), op == UNARY_NEG ? i32x4.neg(x) : i32x4.abs(x), 0);
    }
  } else {
    for (; i + 16 <= n; i += 16) {
      const x = v128.load(src + <usize>i);
      v128.store(dst + <usize>i, op == UNARY_NEG ? i8x16.neg(x) : i8x16.abs(x));
    }
    for (; i < n; i++) {
      const x = v128.load8_splat(src + <usize>i);
      v128.store8_lane(dst + <usize>i, op == UNARY_NEG ? i8x16.neg(x) : i8x16.abs(x), 0);
    }
  }
}

/** neg or abs (op code) of n elements at src into dst. */
export function unary(op: i32, dtype: i32, src: usize, dst: usize, n: i32): void {
  if (op == UNARY_NEG) signLoop(UNARY_NEG, dtype, src, dst, n);
  else signLoop(UNARY_ABS, dtype, src, dst, n);
}
