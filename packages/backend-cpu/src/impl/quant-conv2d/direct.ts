// spec step 2 without im2col, for convolutions with very few output channels (the seed's
// 1 -> 1 channel example): there im2col + GEMM would spend most of its time building panels
// that serve one or two channels. Each weight is broadcast over the output plane instead.
//
// Sums stay exact in float64: |x * w| <= 2^14, and K < 2^39 for any supported geometry, so the
// sum is below 2^53 and ToInt32 (`| 0`) of it is the two's complement wrap of step 2.

import type { QuantConv2dGeometry } from "@tsnpu/tensor";

/**
 * acc[o * pixels + p] = int32 sum for output channel o of batch item n, for every channel.
 * `plane` is float64 scratch of at least hOut * wOut entries.
 */
export function directConv(
  g: QuantConv2dGeometry,
  input: Int8Array,
  n: number,
  weight: Int8Array,
  acc: Int32Array,
  plane: Float64Array,
): void {
  const { cin, cout, h, w, kh, kw, hOut, wOut, offsetX, strideH, strideW, padH, padW, dilationH, dilationW } = g;
  const pixels = hOut * wOut;
  // Per kernel column v: the output columns [jLo, jHi) whose input column is inside the image.
  const jLo = new Int32Array(kw);
  const jHi = new Int32Array(kw);
  for (let v = 0; v < kw; v++) {
    const shift = v * dilationW - padW; // input column of output column j is j * strideW + shift
    jLo[v] = Math.min(wOut, Math.max(0, Math.ceil(-shift / strideW)));
    jHi[v] = Math.max(jLo[v]!, Math.min(wOut, Math.floor((w - 1 - shift) / strideW) + 1));
  }
  for (let o = 0; o < cout; o++) {
    plane.fill(0, 0, pixels);
    for (let c = 0; c < cin; c++) {
      const src = (n * cin + c) * h * w;
      for (let u = 0; u < kh; u++) {
        for (let v = 0; v < kw; v++) {
          const wv = weight[((o * cin + c) * kh + u) * kw + v]!;
          if (wv === 0) continue;
          const padTerm = wv * offsetX;
          const lo = jLo[v]!, hi = jHi[v]!;
          const shift = v * dilationW - padW;
          for (let i = 0; i < hOut; i++) {
            const y = i * strideH + u * dilationH - padH;
            const dst = i * wOut;
            if (y < 0 || y >= h) {
              for (let j = 0; j < wOut; j++) plane[dst + j] += padTerm;
              continue;
            }
            for (let j = 0; j < lo; j++) plane[dst + j] += padTerm;
            const row = src + y * w + shift;
            for (let j = lo; j < hi; j++) plane[dst + j] += wv * input[row + j * strideW]!;
            for (let j = hi; j < wOut; j++) plane[dst + j] += padTerm;
          }
        }
      }
    }
    const base = o * pixels;
    for (let p = 0; p < pixels; p++) acc[base + p] = plane[p]! | 0;
  }
}
