// float32 -> float16 (IEEE binary16 bits) on four lanes at once, spec section 3 step 6:
// round to nearest even, overflow to +-inf, float16 subnormals kept, NaN stays NaN (quiet,
// payload truncated, like float32BitsToFloat16Bits in @tsnpu/tensor). Integer ops only,
// except one float add that does the subnormal rounding for us.

// @ts-ignore: decorator
@inline export function f32x4ToF16(y: v128): v128 {
  const sign = v128.and(i32x4.shr_u(y, 16), i32x4.splat(0x8000));
  const a = v128.and(y, i32x4.splat(0x7fffffff));
  // Fast path, the common case: all four lanes land in float16's normal range
  // ([2^-14, 65520), below the value that rounds to infinity). Same formula as below.
  const normalLanes = v128.and(i32x4.ge_s(a, i32x4.splat(0x38800000)), i32x4.lt_s(a, i32x4.splat(0x477ff000)));
  if (i32x4.all_true(normalLanes)) {
    const odd = v128.and(i32x4.shr_u(a, 13), i32x4.splat(1));
    const r = i32x4.sub(i32x4.shr_u(i32x4.add(i32x4.add(a, i32x4.splat(0xfff)), odd), 13), i32x4.splat(112 << 10));
    return v128.or(r, sign);
  }
  return f32x4ToF16Slow(a, sign);
}

/** Every case: a = |y| bits, sign = y's sign moved to bit 15. */
function f32x4ToF16Slow(a: v128, sign: v128): v128 {
  // Normal results: drop 13 mantissa bits with round-half-even (add 0xfff + lowest kept bit),
  // rebias the exponent (127 -> 15); a carry out of the mantissa bumps the exponent, which is
  // right, and a result at or past 0x7c00 is infinity.
  const odd = v128.and(i32x4.shr_u(a, 13), i32x4.splat(1));
  const rounded = i32x4.shr_u(i32x4.add(i32x4.add(a, i32x4.splat(0xfff)), odd), 13);
  const normal = i32x4.min_s(i32x4.sub(rounded, i32x4.splat(112 << 10)), i32x4.splat(0x7c00));
  // Below the float16 normal range (|y| < 2^-14): adding 0.5f puts the float16 subnormal
  // unit (2^-24) at the float32 ulp, so the float32 add rounds exactly as float16 must.
  const sub = i32x4.sub(f32x4.add(a, f32x4.splat(0.5)), i32x4.splat(0x3f000000));
  // Inf/NaN: 0x7c00, plus the quiet bit and the top payload bits for a NaN.
  const isNan = i32x4.gt_s(a, i32x4.splat(0x7f800000));
  const special = v128.or(
    i32x4.splat(0x7c00),
    v128.and(isNan, v128.or(i32x4.splat(0x200), v128.and(i32x4.shr_u(a, 13), i32x4.splat(0x3ff)))),
  );
  let r = v128.bitselect(sub, normal, i32x4.lt_s(a, i32x4.splat(0x38800000)));
  r = v128.bitselect(special, r, i32x4.ge_s(a, i32x4.splat(0x7f800000)));
  return v128.or(r, sign);
}

/** acc (int32 lanes) + bias, to float32, times scale, to float16 bits in the low half of each lane. */
// @ts-ignore: decorator
@inline export function epilogue(acc: v128, bias: v128, scale: v128): v128 {
  return f32x4ToF16(f32x4.mul(f32x4.convert_i32x4_s(i32x4.add(acc, bias)), scale));
}

/**
 * n float32 at src -> n float16 bits at dst with the epilogue's conversion (exported for tests
 * and as a utility). The last group of four may read up to 12 bytes past src + 4n.
 */
export function convertF32ToF16(src: usize, dst: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const h = f32x4ToF16(v128.load(src + (<usize>i << 2)));
    v128.store64_lane(dst + (<usize>i << 1), i16x8.narrow_i32x4_u(h, h), 0);
  }
  for (; i < n; i++) {
    const h = f32x4ToF16(v128.load32_splat(src + (<usize>i << 2)));
    store<u16>(dst + (<usize>i << 1), <u16>i32x4.extract_lane(h, 0));
  }
}
