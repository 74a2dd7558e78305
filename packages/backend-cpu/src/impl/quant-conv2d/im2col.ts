// spec step 1 as an im2col: every output pixel gets its receptive field laid out along K, with
// padded cells holding offset_x. The result is packed in TILE_PIXELS-wide panels so the GEMM
// reads one contiguous run per micro-tile.

import type { QuantConv2dGeometry } from "@tsnpu/tensor";
import { TILE_PIXELS } from "./tiles.js";

/**
 * Fills `panels` (`[pixelBlock][k][TILE_PIXELS]`, length >= pixelBlocks * K * TILE_PIXELS) with
 * the padded receptive fields of batch item `n`. Lanes past the last pixel are left as they are:
 * the GEMM computes them and never stores them.
 */
export function im2colPanels(g: QuantConv2dGeometry, input: Int8Array, n: number, panels: Float64Array): void {
  const { cin, h, w, kh, kw, hOut, wOut, offsetX } = g;
  const k = cin * kh * kw;
  const pixels = hOut * wOut;
  const blockStride = k * TILE_PIXELS;
  // Each pixel's top-left corner in unpadded input coordinates, and where its lane lives.
  const y0 = new Int32Array(pixels);
  const x0 = new Int32Array(pixels);
  const laneBase = new Int32Array(pixels);
  for (let p = 0; p < pixels; p++) {
    const i = Math.floor(p / wOut);
    y0[p] = i * g.strideH - g.padH;
    x0[p] = (p - i * wOut) * g.strideW - g.padW;
    laneBase[p] = Math.floor(p / TILE_PIXELS) * blockStride + (p % TILE_PIXELS);
  }
  let kk = 0;
  for (let c = 0; c < cin; c++) {
    const plane = (n * cin + c) * h * w;
    for (let u = 0; u < kh; u++) {
      const dy = u * g.dilationH;
      for (let v = 0; v < kw; v++, kk++) {
        const dx = v * g.dilationW;
        const kOffset = kk * TILE_PIXELS;
        for (let p = 0; p < pixels; p++) {
          const y = y0[p]! + dy;
          const x = x0[p]! + dx;
          // One unsigned compare per axis tests 0 <= y < h.
          const inside = y >>> 0 < h && x >>> 0 < w;
          panels[laneBase[p]! + kOffset] = inside ? input[plane + y * w + x]! : offsetX;
        }
      }
    }
  }
}
