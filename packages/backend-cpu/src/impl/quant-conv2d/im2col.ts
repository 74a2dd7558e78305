// spec step 1 as an im2col: every output pixel gets its receptive field laid out along K
// (k = (c * kh + u) * kw + v, the weights' OIHW order), padded cells holding offset_x. The
// result is packed in TILE_PIXELS-wide panels so the GEMM reads one contiguous run per tile.

import type { QuantConv2dGeometry } from "@tsnpu/tensor";
import { TILE_PIXELS } from "./tiles.js";

/**
 * Fills `panels` (`[pixelBlock][k][TILE_PIXELS]`) with the padded receptive fields of pixels
 * [p0, p1) of batch item `n` (p0 a multiple of TILE_PIXELS; the first panel is pixel p0's), as
 * float64 so the GEMM multiplies without a conversion. Lanes past p1 are zeroed: the GEMM
 * computes them and never stores them, but they must not hold large leftovers from another use
 * of the scratch buffer.
 */
export function im2colPanels(
  g: QuantConv2dGeometry,
  input: Int8Array,
  n: number,
  p0: number,
  p1: number,
  panels: Float64Array,
): void {
  const { cin, h, w, kh, kw, wOut, offsetX, strideH, strideW, padH, padW, dilationH, dilationW } =
    g;
  const tile = TILE_PIXELS;
  const blockStride = cin * kh * kw * tile;
  const planeSize = h * w;
  const batchBase = n * cin * planeSize;
  const count = p1 - p0;
  const tail = count % tile;
  if (tail !== 0) {
    const last = Math.floor(count / tile) * blockStride;
    for (let i = last; i < last + blockStride; i += tile)
      for (let l = tail; l < tile; l++) panels[i + l] = 0;
  }
  // Pixel by pixel: each tile's panel (K * tile doubles) is written while it sits in L1.
  for (let p = p0; p < p1; p++) {
    const i = Math.floor(p / wOut);
    const y0 = i * strideH - padH;
    const x0 = (p - i * wOut) * strideW - padW;
    // Most pixels see no left/right padding: skip the column test for them.
    const colsInside = x0 >= 0 && x0 + (kw - 1) * dilationW < w;
    let dst = Math.floor((p - p0) / tile) * blockStride + ((p - p0) % tile);
    for (let c = 0; c < cin; c++) {
      const plane = batchBase + c * planeSize;
      for (let u = 0; u < kh; u++) {
        const y = y0 + u * dilationH;
        if (y < 0 || y >= h) {
          for (let v = 0; v < kw; v++, dst += tile) panels[dst] = offsetX;
        } else if (colsInside) {
          const row = plane + y * w + x0;
          for (let v = 0; v < kw; v++, dst += tile) panels[dst] = input[row + v * dilationW]!;
        } else {
          const row = plane + y * w;
          for (let v = 0; v < kw; v++, dst += tile) {
            const x = x0 + v * dilationW;
            panels[dst] = x >= 0 && x < w ? input[row + x]! : offsetX;
          }
        }
      }
    }
  }
}
