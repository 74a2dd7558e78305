// spec step 2 without im2col, for convolutions with very few output channels (the seed's
// 1 -> 1 channel example): there im2col + GEMM would spend most of its time building panels
// that serve one or two channels. Instead the input is copied once into a padded plane (border
// cells = offset_x, so no bounds tests remain) and each output pixel walks a table of K input
// offsets, four pixels of a row at a time.
//
// Sums stay exact in float64: |x * w| <= 2^14, and K < 2^39 for any supported geometry, so the
// sum is below 2^53 and ToInt32 (`| 0`) of it is the two's complement wrap of step 2.

import type { QuantConv2dGeometry } from "@tsnpu/tensor";

/** Length of the padded copy of one batch item that {@link directConv} needs as scratch. */
export function paddedInputLength(g: QuantConv2dGeometry): number {
  return g.cin * (g.h + 2 * g.padH) * (g.w + 2 * g.padW);
}

/** Step 1 for one batch item: `padded` = input with a border of offset_x (CHW, float64). */
function padInput(g: QuantConv2dGeometry, input: Int8Array, n: number, padded: Float64Array): void {
  const { cin, h, w, padH, padW, offsetX } = g;
  const wp = w + 2 * padW;
  const planeP = (h + 2 * padH) * wp;
  padded.fill(offsetX, 0, cin * planeP);
  for (let c = 0; c < cin; c++) {
    for (let y = 0; y < h; y++) {
      const src = ((n * cin + c) * h + y) * w;
      const dst = c * planeP + (y + padH) * wp + padW;
      for (let x = 0; x < w; x++) padded[dst + x] = input[src + x]!;
    }
  }
}

/**
 * acc[o * pixels + p] = int32 sum of output channel o, pixel p, of batch item n, for every
 * channel. `weight` is OIHW as float64; `padded` is scratch of {@link paddedInputLength}.
 */
export function directConv(
  g: QuantConv2dGeometry,
  input: Int8Array,
  n: number,
  weight: Float64Array,
  acc: Int32Array,
  padded: Float64Array,
): void {
  const {
    cin,
    cout,
    h,
    w,
    kh,
    kw,
    hOut,
    wOut,
    strideH,
    strideW,
    padH,
    padW,
    dilationH,
    dilationW,
  } = g;
  padInput(g, input, n, padded);
  const wp = w + 2 * padW;
  const planeP = (h + 2 * padH) * wp;
  const k = cin * kh * kw;
  // offsets[k]: where tap k = (c, u, v) of a pixel sits relative to the pixel's top-left tap.
  const offsets = new Int32Array(k);
  for (let c = 0, t = 0; c < cin; c++)
    for (let u = 0; u < kh; u++)
      for (let v = 0; v < kw; v++) offsets[t++] = c * planeP + u * dilationH * wp + v * dilationW;
  const pixels = hOut * wOut;
  const s1 = strideW,
    s2 = 2 * strideW,
    s3 = 3 * strideW;
  for (let o = 0; o < cout; o++) {
    const w0 = o * k;
    for (let i = 0; i < hOut; i++) {
      const rowTap = i * strideH * wp; // padded coordinates: row i * strideH, column 0
      const dst = o * pixels + i * wOut;
      let j = 0;
      for (; j + 4 <= wOut; j += 4) {
        const base = rowTap + j * strideW;
        let a0 = 0,
          a1 = 0,
          a2 = 0,
          a3 = 0;
        for (let t = 0; t < k; t++) {
          const at = base + offsets[t]!;
          const wt = weight[w0 + t]!;
          a0 += wt * padded[at]!;
          a1 += wt * padded[at + s1]!;
          a2 += wt * padded[at + s2]!;
          a3 += wt * padded[at + s3]!;
        }
        acc[dst + j] = a0 | 0;
        acc[dst + j + 1] = a1 | 0;
        acc[dst + j + 2] = a2 | 0;
        acc[dst + j + 3] = a3 | 0;
      }
      for (; j < wOut; j++) {
        const base = rowTap + j * strideW;
        let a = 0;
        for (let t = 0; t < k; t++) a += weight[w0 + t]! * padded[base + offsets[t]!]!;
        acc[dst + j] = a | 0;
      }
    }
  }
}
