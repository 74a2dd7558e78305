// max_pool2d over contiguous (N*C, H, W) planes, as the cpu kernel: windows clipped to the
// input (padding counts as -inf, an all-padding window gives -inf), `v > best || v != v`
// so the first of equal values (+0 vs -0) and the last NaN of a window win, NaN quieted.

import { DTYPE_F32 } from "../../src/abi";
import { elementSize } from "./lanes";

export function maxPool2d(
  dtype: i32, src: usize, dst: usize, planes: i32, h: i32, w: i32, kh: i32, kw: i32,
  strideH: i32, strideW: i32, padH: i32, padW: i32, dilationH: i32, dilationW: i32, hOut: i32, wOut: i32,
): void {
  maxPool2dRows(dtype, src, dst, planes, h, w, kh, kw, strideH, strideW, padH, padW, dilationH, dilationW, hOut, wOut, 0, planes * hOut);
}

/** Output rows [rowStart, rowEnd) of maxPool2d (row r: plane r / hOut, output row r % hOut). */
export function maxPool2dRows(
  dtype: i32, src: usize, dst: usize, planes: i32, h: i32, w: i32, kh: i32, kw: i32,
  strideH: i32, strideW: i32, padH: i32, padW: i32, dilationH: i32, dilationW: i32, hOut: i32, wOut: i32,
  rowStart: i32, rowEnd: i32,
): void {
  const size = elementSize(dtype);
  const twoByTwo = dtype != DTYPE_F32 && kh == 2 && kw == 2 && strideH == 2 && strideW == 2 &&
    padH == 0 && padW == 0 && dilationH == 1 && dilationW == 1;
  for (let r = rowStart; r < rowEnd; r++) {
    const p = r / hOut, oh = r % hOut;
    const plane = src + <usize>p * <usize>h * <usize>w * size;
    let o = dst + <usize>r * <usize>wOut * size;
    let ow = 0;
    if (twoByTwo) {
      // Eight windows per step; the windows are inside the plane (no padding, floor sizes).
      const row0 = plane + (<usize>(oh << 1) * <usize>w << 1);
      for (; ow + 8 <= wOut; ow += 8, o += 16) v128.store(o, max2x2F16(row0 + (<usize>ow << 2), <usize>w << 1));
    }
    const h0 = oh * strideH - padH;
    for (; ow < wOut; ow++) {
      const w0 = ow * strideW - padW;
      if (dtype == DTYPE_F32) store<u32>(o, windowF32(plane, h, w, h0, w0, kh, kw, dilationH, dilationW));
      else store<u16>(o, windowF16(plane, h, w, h0, w0, kh, kw, dilationH, dilationW));
      o += size;
    }
  }
}

/** windowF16's order key of float16 lanes: -mag for negatives, mag, 0x7fff for NaN. */
// @ts-ignore: decorator
@inline function keyF16(x: v128): v128 {
  const mag = v128.and(x, i16x8.splat(0x7fff));
  const key = v128.bitselect(i16x8.neg(mag), mag, i16x8.lt_s(x, i16x8.splat(0)));
  return v128.bitselect(i16x8.splat(0x7fff), key, i16x8.gt_s(mag, i16x8.splat(0x7c00)));
}

/** `best` or the later value `c`: c wins if its key is greater, or if it is NaN (the last NaN wins). */
// @ts-ignore: decorator
@inline function later(best: v128, c: v128): v128 {
  const k = keyF16(c);
  return v128.bitselect(c, best, v128.or(i16x8.gt_s(k, keyF16(best)), i16x8.eq(k, i16x8.splat(0x7fff))));
}

/**
 * Eight 2x2 windows of float16 (16 values from each of two rows `rowBytes` apart), scanned
 * in windowF16's order; a NaN result gets its quiet bit.
 */
// @ts-ignore: decorator
@inline function max2x2F16(at: usize, rowBytes: usize): v128 {
  const a0 = v128.load(at), a1 = v128.load(at + 16);
  const b0 = v128.load(at + rowBytes), b1 = v128.load(at + rowBytes + 16);
  let best = i8x16.shuffle(a0, a1, 0, 1, 4, 5, 8, 9, 12, 13, 16, 17, 20, 21, 24, 25, 28, 29);
  best = later(best, i8x16.shuffle(a0, a1, 2, 3, 6, 7, 10, 11, 14, 15, 18, 19, 22, 23, 26, 27, 30, 31));
  best = later(best, i8x16.shuffle(b0, b1, 0, 1, 4, 5, 8, 9, 12, 13, 16, 17, 20, 21, 24, 25, 28, 29));
  best = later(best, i8x16.shuffle(b0, b1, 2, 3, 6, 7, 10, 11, 14, 15, 18, 19, 22, 23, 26, 27, 30, 31));
  const nan = i16x8.gt_s(v128.and(best, i16x8.splat(0x7fff)), i16x8.splat(0x7c00));
  return v128.or(best, v128.and(nan, i16x8.splat(0x200)));
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
