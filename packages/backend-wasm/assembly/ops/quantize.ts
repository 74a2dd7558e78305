// npu_quantize over float32/float16 elements (docs/semantics/npu-quantize.md section 2), four
// lanes at a time. The JS side hands, per channel, the float32 factor (div mode: fround(1/s);
// otherwise s), the float32 zero point to add, and the integer a NaN gives (z saturated), so
// both div modes are the same lanes in a different order:
//   div mode: q = nearest(x * f) + z        otherwise: q = nearest(x * f + z)
// every op a float32 rounding as the spec wants (f32x4.nearest rounds half to even); then a
// saturating float -> int32 conversion clamped to the output's range ([assume] step 6).

import { ACT_CLAMP, ACT_RELU, DTYPE_F16, DTYPE_I32, DTYPE_I8 } from "../../src/abi";
import { f16ToF32 } from "./lanes";
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
      for (; k + 4 <= end; k += 4) store4(outDtype, dst, k, lanes(load4(inDtype, src, k), f, z, nan, vlo, vhi, divMode, act, alo, ahi));
      for (; k < end; k++) store1(outDtype, dst, k, lanes(load1(inDtype, src, k), f, z, nan, vlo, vhi, divMode, act, alo, ahi));
    }
  }
}
