// float32 -> float16 (IEEE binary16 bits) on four lanes at once, spec section 3 step 6:
// round to nearest even, overflow to +-inf, float16 subnormals kept, NaN stays NaN (quiet,
// payload truncated, like float32BitsToFloat16Bits in @tsnpu/tensor). Integer ops only,
// except one float add that does the subnormal rounding for us.

// @ts-ignore: decorator
@inline export function f32x4ToF16(y: v128): v128 {
  return i32x4.all_true(f16NormalLanes(y)) ? f16FromNormal(y) : f16FromAny(y);
}

/**
 * All-ones lanes where |y| lands in float16's normal range, [2^-14, 65520) (65520 and above
 * round to infinity): the fast path's test. One add and one signed compare: adding
 * 0x80000000 - 0x38800000 (2^-14's bits) maps [0x38800000, 0x477ff000) onto the lowest signed
 * values. (f16FromNormal is also right a little past both ends, so the tests cannot pin the
 * bounds to the bit: they catch any bound off by more than that.)
 */
// @ts-ignore: decorator
@inline export function f16NormalLanes(y: v128): v128 {
  return i32x4.lt_s(normalKey(y), i32x4.splat(NORMAL_KEY_END));
}

/** f16NormalLanes' key: a lane is accepted when its key is below NORMAL_KEY_END (signed), so
 * one compare of the i32x4.max_s of several keys tests them all. */
// @ts-ignore: decorator
@inline export function normalKey(y: v128): v128 {
  return i32x4.add(v128.and(y, i32x4.splat(0x7fffffff)), i32x4.splat(0x47800000));
}
export const NORMAL_KEY_END: i32 = <i32>0x8efff000;

/**
 * float16 bits of lanes that f16NormalLanes accepted: drop 13 mantissa bits with
 * round-half-even (add 0xfff + the lowest kept bit) and rebias the exponent (127 -> 15) in the
 * same add (112 << 23 is a multiple of 2^13); a carry out of the mantissa bumps the exponent,
 * which is right.
 */
// @ts-ignore: decorator
@inline export function f16FromNormal(y: v128): v128 {
  const r = i32x4.shr_u(roundedRebiased(v128.and(y, i32x4.splat(0x7fffffff))), 13);
  return v128.or(r, v128.and(i32x4.shr_u(y, 16), i32x4.splat(0x8000)));
}

/**
 * The float16 bits of two vectors of lanes that f16NormalLanes accepted, as 8 i16 lanes (z0's
 * first): f16FromNormal's rounding and rebias without taking the sign apart (a negative lane's
 * magnitude cannot carry into its sign bit there), the low halves shuffled together, and the
 * sign bits taken from the high halves of z0, z1.
 */
// @ts-ignore: decorator
@inline export function f16x8FromNormal(z0: v128, z1: v128): v128 {
  const magnitude = i8x16.shuffle(
    i32x4.shr_u(roundedRebiased(z0), 13), i32x4.shr_u(roundedRebiased(z1), 13),
    0, 1, 4, 5, 8, 9, 12, 13, 16, 17, 20, 21, 24, 25, 28, 29,
  );
  const high = i8x16.shuffle(z0, z1, 2, 3, 6, 7, 10, 11, 14, 15, 18, 19, 22, 23, 26, 27, 30, 31);
  return v128.or(magnitude, v128.and(high, i16x8.splat(<i16>0x8000)));
}

/**
 * relu of f16x8FromNormal's result (its lanes are never -0): a negative lane's sign reaches
 * bit 18 and above, so the arithmetic shift and the signed narrow saturate it to -32768,
 * which the max with 0 clears; a positive lane's bits pass unchanged.
 */
// @ts-ignore: decorator
@inline export function reluF16x8FromNormal(z0: v128, z1: v128): v128 {
  const h = i16x8.narrow_i32x4_s(i32x4.shr_s(roundedRebiased(z0), 13), i32x4.shr_s(roundedRebiased(z1), 13));
  return i16x8.max_s(h, i16x8.splat(0));
}

/** f16FromNormal's sum before the shift, sign bit kept (no carry reaches it in the normal range). */
// @ts-ignore: decorator
@inline function roundedRebiased(z: v128): v128 {
  const odd = v128.and(i32x4.shr_u(z, 13), i32x4.splat(1));
  return i32x4.add(i32x4.add(z, i32x4.splat(0xfff - (112 << 23))), odd);
}

/**
 * Lanes that f16NormalLanes accepted rounded to float16 precision, still float32 (the float16
 * value exactly). Adding c = +-2^(e+13), for y's exponent e and sign, makes the float32 ulp of
 * the sum float16's ulp of y, so the float32 add rounds half-even exactly where float16 does
 * (a carry to 2^(e+1) included); subtracting c again is exact.
 */
// @ts-ignore: decorator
@inline export function roundHalfNormal(y: v128): v128 {
  const c = i32x4.add(v128.and(y, i32x4.splat(<i32>0xff800000)), i32x4.splat(13 << 23));
  return f32x4.sub(f32x4.add(y, c), c);
}

/** float16 bits of y in the low half of each lane; `normal`: every lane passed f16NormalLanes. */
// @ts-ignore: decorator
@inline export function toF16(y: v128, normal: bool): v128 {
  return normal ? f16FromNormal(y) : f16FromAny(y);
}

/** Every case: subnormal and zero results, infinity, NaN, and the normal ones. */
function f16FromAny(y: v128): v128 {
  const sign = v128.and(i32x4.shr_u(y, 16), i32x4.splat(0x8000));
  const a = v128.and(y, i32x4.splat(0x7fffffff));
  // Normal results as in f16FromNormal; a result at or past 0x7c00 is infinity.
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
