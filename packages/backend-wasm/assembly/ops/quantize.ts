// npu_quantize over float32/float16 elements (docs/semantics/npu-quantize.md section 2), four
// lanes at a time. The JS side hands, per channel, the float32 factor (div mode: fround(1/s);
// otherwise s), the float32 zero point to add, and the integer a NaN gives (z saturated), so
// both div modes are the same lanes in a different order:
//   div mode: q = nearest(x * f) + z        otherwise: q = nearest(x * f + z)
// every op a float32 rounding as the spec wants (f32x4.nearest rounds half to even); then a
// saturating float -> int32 conversion clamped to the output's range ([assume] step 6).

import { ACT_CLAMP, ACT_NONE, ACT_RELU, DTYPE_F16, DTYPE_I32, DTYPE_I8 } from "../../src/abi";
import { anyNonFiniteF16, f16ToF32, widenFiniteF16 } from "./lanes";
import { f32x4ToF16 } from "../f16";

/**
 * The activation a fused graph step applies first (ACT_*): relu as the relu kernel does on
 * float16 (x < 0 ? 0 : x, exact), clamp in float32 then rounded to float16 as the clamp
 * kernel's float16 result is, so the quantize step sees the bits the unfused graph stores.
 */
// @ts-ignore: decorator
@inline function activate(x: v128, act: i32, alo: v128, ahi: v128): v128 {
  if (act == ACT_RELU) return v128.bitselect(f32x4.splat(0), x, f32x4.lt(x, f32x4.splat(0)));
  if (act == ACT_CLAMP) return f16ToF32(f32x4ToF16(f32x4.min(f32x4.max(x, alo), ahi)));
  return x;
}

// @ts-ignore: decorator
@inline export function lanes(x: v128, f: v128, z: v128, nan: v128, lo: v128, hi: v128, divMode: bool, act: i32, alo: v128, ahi: v128): v128 {
  const p = f32x4.mul(activate(x, act, alo, ahi), f);
  const q = divMode ? f32x4.add(f32x4.nearest(p), z) : f32x4.nearest(f32x4.add(p, z));
  const r = i32x4.min_s(i32x4.max_s(i32x4.trunc_sat_f32x4_s(q), lo), hi);
  return v128.bitselect(nan, r, f32x4.ne(q, q));
}

/**
 * lanes() for 8-bit outputs with an integer zero point `zi` (z as i32 lanes): the sum is clamped
 * to +-2^20 first (the result saturates all the same: |z| < 2^9), so adding 1.5 * 2^23 rounds it
 * half to even into the low mantissa bits, and no float -> int conversion is needed.
 */
// @ts-ignore: decorator
@inline export function lanes8(x: v128, f: v128, z: v128, zi: v128, nan: v128, lo: v128, hi: v128, divMode: bool, act: i32, alo: v128, ahi: v128, plain: bool): v128 {
  const p = f32x4.mul(activate(x, act, alo, ahi), f);
  const s = divMode ? p : f32x4.add(p, z);
  const c = f32x4.pmin(f32x4.pmax(s, f32x4.splat(-1048576)), f32x4.splat(1048576));
  let r = i32x4.sub(f32x4.add(c, f32x4.splat(12582912)), i32x4.splat(0x4b400000));
  if (divMode) r = i32x4.add(r, zi);
  // plain: no NaN can arise (finite inputs and factor) and the stores' saturating narrows are the clamp.
  if (plain) return r;
  return v128.bitselect(nan, i32x4.min_s(i32x4.max_s(r, lo), hi), f32x4.ne(s, s));
}

// @ts-ignore: decorator
@inline function load4(inDtype: i32, src: usize, i: usize): v128 {
  return inDtype == DTYPE_F16 ? f16ToF32(i32x4.extend_low_i16x8_u(v128.load64_zero(src + (i << 1)))) : v128.load(src + (i << 2));
}

// @ts-ignore: decorator
@inline function load1(inDtype: i32, src: usize, i: usize): v128 {
  return inDtype == DTYPE_F16 ? f16ToF32(i32x4.splat(<i32>load<u16>(src + (i << 1)))) : v128.load32_splat(src + (i << 2));
}

// @ts-ignore: decorator
@inline function store4(outDtype: i32, dst: usize, i: usize, r: v128): void {
  if (outDtype == DTYPE_I32) {
    v128.store(dst + (i << 2), r);
    return;
  }
  const h = i16x8.narrow_i32x4_s(r, r);
  v128.store32_lane(dst + i, outDtype == DTYPE_I8 ? i8x16.narrow_i16x8_s(h, h) : i8x16.narrow_i16x8_u(h, h), 0);
}

// @ts-ignore: decorator
@inline function store1(outDtype: i32, dst: usize, i: usize, r: v128): void {
  if (outDtype == DTYPE_I32) store<i32>(dst + (i << 2), i32x4.extract_lane(r, 0));
  else store<u8>(dst + i, <u8>i32x4.extract_lane(r, 0));
}

/**
 * `outer * channels * inner` elements at src (float32 or float16) -> dst (int8, uint8 or int32).
 * params: f32 factor[channels], f32 zero[channels], i32 nan[channels]; lo/hi the output range;
 * act (ACT_*) with its float32 bounds alo/ahi applied to each element first.
 */
export function quantize(
  inDtype: i32, src: usize, outDtype: i32, dst: usize,
  outer: i32, channels: i32, inner: i32, params: usize, divMode: i32, lo: i32, hi: i32,
  act: i32, alo: f32, ahi: f32,
): void {
  if (divMode != 0) quantizeLoop(inDtype, src, outDtype, dst, outer, channels, inner, params, true, lo, hi, act, f32x4.splat(alo), f32x4.splat(ahi));
  else quantizeLoop(inDtype, src, outDtype, dst, outer, channels, inner, params, false, lo, hi, act, f32x4.splat(alo), f32x4.splat(ahi));
}

// @ts-ignore: decorator
@inline function quantizeLoop(
  inDtype: i32, src: usize, outDtype: i32, dst: usize,
  outer: i32, channels: i32, inner: i32, params: usize, divMode: bool, lo: i32, hi: i32,
  act: i32, alo: v128, ahi: v128,
): void {
  const vlo = i32x4.splat(lo);
  const vhi = i32x4.splat(hi);
  const zeros = params + (<usize>channels << 2);
  const nans = zeros + (<usize>channels << 2);
  let k: usize = 0;
  if (inner == 1) {
    // The channel is the last axis: lanes run across channels, reading four params at once.
    for (let o = 0; o < outer; o++) {
      let c = 0;
      for (; c + 4 <= channels; c += 4, k += 4) {
        const at = <usize>c << 2;
        const r = lanes(load4(inDtype, src, k), v128.load(params + at), v128.load(zeros + at), v128.load(nans + at), vlo, vhi, divMode, act, alo, ahi);
        store4(outDtype, dst, k, r);
      }
      for (; c < channels; c++, k++) {
        const at = <usize>c << 2;
        const r = lanes(load1(inDtype, src, k), v128.load32_splat(params + at), v128.load32_splat(zeros + at), v128.load32_splat(nans + at), vlo, vhi, divMode, act, alo, ahi);
        store1(outDtype, dst, k, r);
      }
    }
    return;
  }
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < channels; c++) {
      const at = <usize>c << 2;
      const f = v128.load32_splat(params + at);
      const z = v128.load32_splat(zeros + at);
      const nan = v128.load32_splat(nans + at);
      const end = k + <usize>inner;
      if (inDtype == DTYPE_F16 && outDtype != DTYPE_I32) k = halfTo8Bits(src, outDtype, dst, k, end, f, z, nan, vlo, vhi, divMode, act, alo, ahi);
      for (; k + 4 <= end; k += 4) store4(outDtype, dst, k, lanes(load4(inDtype, src, k), f, z, nan, vlo, vhi, divMode, act, alo, ahi));
      for (; k < end; k++) store1(outDtype, dst, k, lanes(load1(inDtype, src, k), f, z, nan, vlo, vhi, divMode, act, alo, ahi));
    }
  }
}

/**
 * The float16 -> 8-bit elements [k, end) 16 at a time while they last (lanes8); returns where it
 * stopped. A zero point that is not a small integer leaves them all to the general lanes.
 */
// @ts-ignore: decorator
@inline function halfTo8Bits(
  src: usize, outDtype: i32, dst: usize, k: usize, end: usize, f: v128, z: v128, nan: v128, lo: v128, hi: v128,
  divMode: bool, act: i32, alo: v128, ahi: v128,
): usize {
  const zi = i32x4.trunc_sat_f32x4_s(z);
  const z0 = f32x4.extract_lane(z, 0);
  if (z0 != <f32>i32x4.extract_lane(zi, 0) || abs(z0) >= 512) return k;
  const l = i32x4.extract_lane(lo, 0), h = i32x4.extract_lane(hi, 0);
  const fullRange = outDtype == DTYPE_I8 ? l == -128 && h == 127 : l == 0 && h == 255;
  const plain = fullRange && act == ACT_NONE && abs(f32x4.extract_lane(f, 0)) < Infinity;
  if (plain && outDtype == DTYPE_I8) return halfTo8BitsLoop(src, DTYPE_I8, dst, k, end, f, z, zi, nan, lo, hi, divMode, ACT_NONE, alo, ahi, true);
  return halfTo8BitsLoop(src, outDtype, dst, k, end, f, z, zi, nan, lo, hi, divMode, act, alo, ahi, false);
}

// @ts-ignore: decorator
@inline function halfTo8BitsLoop(
  src: usize, outDtype: i32, dst: usize, k: usize, end: usize, f: v128, z: v128, zi: v128, nan: v128, lo: v128, hi: v128,
  divMode: bool, act: i32, alo: v128, ahi: v128, plain: bool,
): usize {
  for (; k + 16 <= end; k += 16) {
    const x0 = v128.load(src + (k << 1)), x1 = v128.load(src + (k << 1) + 16);
    if (anyNonFiniteF16(x0, x1)) {
      for (let j: usize = 0; j < 16; j += 4) store4(outDtype, dst, k + j, lanes(load4(DTYPE_F16, src, k + j), f, z, nan, lo, hi, divMode, act, alo, ahi));
      continue;
    }
    const r0 = lanes8(widenFiniteF16(i32x4.extend_low_i16x8_s(x0)), f, z, zi, nan, lo, hi, divMode, act, alo, ahi, plain);
    const r1 = lanes8(widenFiniteF16(i32x4.extend_high_i16x8_s(x0)), f, z, zi, nan, lo, hi, divMode, act, alo, ahi, plain);
    const r2 = lanes8(widenFiniteF16(i32x4.extend_low_i16x8_s(x1)), f, z, zi, nan, lo, hi, divMode, act, alo, ahi, plain);
    const r3 = lanes8(widenFiniteF16(i32x4.extend_high_i16x8_s(x1)), f, z, zi, nan, lo, hi, divMode, act, alo, ahi, plain);
    const h0 = i16x8.narrow_i32x4_s(r0, r1), h1 = i16x8.narrow_i32x4_s(r2, r3);
    v128.store(dst + k, outDtype == DTYPE_I8 ? i8x16.narrow_i16x8_s(h0, h1) : i8x16.narrow_i16x8_u(h0, h1));
  }
  return k;
}
