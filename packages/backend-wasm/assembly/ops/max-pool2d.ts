// max_pool2d over contiguous (N*C, H, W) planes, as the cpu kernel: windows clipped to the
// input (padding counts as -inf, an all-padding window gives -inf), `v > best || v != v`
// so the first of equal values (+0 vs -0) and the last NaN of a window win, NaN quieted.

import { DTYPE_F32 } from "../../src/abi";
import { elementSize } from "./lanes";

export function maxPool2d(
  dtype: i32, src: usize, dst: usize, planes: i32, h: i32, w: i32, kh: i32, kw: i32,
  strideH: i32, strideW: i32, padH: i32, padW: i32, dilationH: i32, dilationW: i32, hOut: i32, wOut: i32,
): void {
  const size = elementSize(dtype);
  let o = dst;
  for (let p = 0; p < planes; p++) {
    const plane = src + <usize>p * <usize>h * <usize>w * size;
    for (let oh = 0; oh < hOut; oh++) {
      const h0 = oh * strideH - padH;
      for (let ow = 0; ow < wOut; ow++) {
        const w0 = ow * strideW - padW;
        if (dtype == DTYPE_F32) store<u32>(o, windowF32(plane, h, w, h0, w0, kh, kw, dilationH, dilationW));
        else store<u16>(o, windowF16(plane, h, w, h0, w0, kh, kw, dilationH, dilationW));
        o += size;
      }
    }
  }
}

/** Bits of the window's max; compares float32 values, keeps the winner's bits. */
// @ts-ignore: decorator
@inline function windowF32(plane: usize, h: i32, w: i32, h0: i32, w0: i32, kh: i32, kw: i32, dh: i32, dw: i32): u32 {
  let best: u32 = 0xff800000;
  for (let i = 0; i < kh; i++) {
    const ih = h0 + i * dh;
    if (ih < 0 || ih >= h) continue;
    const row = plane + (<usize>ih * <usize>w << 2);
    for (let j = 0; j < kw; j++) {
      const iw = w0 + j * dw;
      if (iw < 0 || iw >= w) continue;
      const bits = load<u32>(row + (<usize>iw << 2));
      const v = reinterpret<f32>(bits);
      if (v > reinterpret<f32>(best) || v != v) best = bits;
    }
  }
  return (best & 0x7fffffff) > 0x7f800000 ? best | 0x400000 : best;
}

/** float16 bits compared through an order-preserving integer key (-0 and +0 both 0; NaN above all). */
// @ts-ignore: decorator
@inline function windowF16(plane: usize, h: i32, w: i32, h0: i32, w0: i32, kh: i32, kw: i32, dh: i32, dw: i32): u16 {
  let best: u32 = 0xfc00;
  let bestKey: i32 = -0x7c00;
  for (let i = 0; i < kh; i++) {
    const ih = h0 + i * dh;
    if (ih < 0 || ih >= h) continue;
    const row = plane + (<usize>ih * <usize>w << 1);
    for (let j = 0; j < kw; j++) {
      const iw = w0 + j * dw;
      if (iw < 0 || iw >= w) continue;
      const bits = <u32>load<u16>(row + (<usize>iw << 1));
      const mag = <i32>(bits & 0x7fff);
      if (mag > 0x7c00) {
        best = bits;
        bestKey = i32.MAX_VALUE;
      } else {
        const key = bits & 0x8000 ? -mag : mag;
        if (key > bestKey) {
          best = bits;
          bestKey = key;
        }
      }
    }
  }
  return <u16>(bestKey == i32.MAX_VALUE ? best | 0x200 : best);
}
