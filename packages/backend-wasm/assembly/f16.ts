// float32 -> float16 (IEEE binary16 bits) on four lanes at once, spec section 3 step 6:
// round to nearest even, overflow to +-inf, float16 subnormals kept, NaN stays NaN (quiet,
// payload truncated, like float32BitsToFloat16Bits in @tsnpu/tensor). Integer ops only,
// except one float add that does the subnormal rounding for us.

// @ts-ignore: decorator
@inline export function f32x4ToF16(y: v128): v128 {
  const sign = v128.and(i32x4.shr_u(y, 16), i32x4.splat(0x8000));
  const a = v128.and(y, i32x4.splat(0x7fffffff));
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
