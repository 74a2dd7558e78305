// avg_pool2d over contiguous (N*C, H, W) planes, as the cpu kernel: each window's sum runs in
// doubles over the window clipped to the input (rows, then columns, from +0), is divided by
// divisorOverride, or the window's size clipped to input plus padding (countIncludePad) or to
// the input, and rounds once: to float32, and float16 through float32 as toFloat16Bits. A
// window without input cells gives +0. NaN: a NaN element wins over a NaN sum (V8's `+`).

import { f32x4ToF16 } from "../f16";
import { F32, f16ToF32 } from "./lanes";

/** Element `i` of a float32 or float16 plane as a double (NaN quiet, as the cpu reads it). */
// @ts-ignore: decorator
@inline function valueAt(dtype: i32, plane: usize, i: i32): f64 {
  if (dtype == F32) return <f64>load<f32>(plane + (<usize>i << 2));
  return f64x2.extract_lane(f64x2.promote_low_f32x4(f16ToF32(i32x4.splat(<i32>load<u16>(plane + (<usize>i << 1))))), 0);
}

/** divisorOverride: 0 for none. */
export function avgPool2d(
  dtype: i32, src: usize, dst: usize, planes: i32, h: i32, w: i32, kh: i32, kw: i32,
  strideH: i32, strideW: i32, padH: i32, padW: i32, hOut: i32, wOut: i32, countIncludePad: bool, divisorOverride: f64,
): void {
  const size: usize = dtype == F32 ? 4 : 2;
  let o = dst;
  for (let p = 0; p < planes; p++) {
    const plane = src + <usize>p * <usize>h * <usize>w * size;
    for (let oh = 0; oh < hOut; oh++) {
      const h0 = oh * strideH - padH;
      const hEnd = min(h0 + kh, h + padH);
      const hs = max(h0, 0);
      const he = min(hEnd, h);
      for (let ow = 0; ow < wOut; ow++) {
        const w0 = ow * strideW - padW;
        const wEnd = min(w0 + kw, w + padW);
        const ws = max(w0, 0);
        const we = min(wEnd, w);
        let r: f64 = 0;
        if (he > hs && we > ws) {
          let sum: f64 = 0;
          for (let ih = hs; ih < he; ih++) {
            for (let iw = ws; iw < we; iw++) {
              const v = valueAt(dtype, plane, ih * w + iw);
              sum = v != v ? v : sum + v;
            }
          }
          const divisor = divisorOverride != 0
            ? divisorOverride
            : <f64>(countIncludePad ? (hEnd - h0) * (wEnd - w0) : (he - hs) * (we - ws));
          r = sum / divisor;
        }
        if (dtype == F32) store<f32>(o, <f32>r);
        else store<u16>(o, <u16>i32x4.extract_lane(f32x4ToF16(f32x4.splat(<f32>r)), 0));
        o += size;
      }
    }
  }
}
