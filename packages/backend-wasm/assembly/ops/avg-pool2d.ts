// avg_pool2d over contiguous (N*C, H, W) planes, as the cpu kernel: each window's sum runs in
// doubles over the window clipped to the input (rows, then columns, from +0), is divided by
// divisorOverride, or the window's size clipped to input plus padding (countIncludePad) or to
// the input, and rounds once: to float32, and float16 through float32 as toFloat16Bits. A
// window without input cells gives +0. NaN: a NaN element wins over a NaN sum (V8's `+`).

import { elementSize, storeRounded, valueAt } from "./lanes";

/** divisorOverride: 0 for none. */
export function avgPool2d(
  dtype: i32, src: usize, dst: usize, planes: i32, h: i32, w: i32, kh: i32, kw: i32,
  strideH: i32, strideW: i32, padH: i32, padW: i32, hOut: i32, wOut: i32, countIncludePad: bool, divisorOverride: f64,
): void {
  const size = elementSize(dtype);
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
        storeRounded(dtype, o, r);
        o += size;
      }
    }
  }
}
