// The spec, read literally: docs/semantics/quant-conv2d.md section 3 as six nested loops. Too slow for
// real use; it is the oracle that the cpu backend's fast kernel is property-tested against
// (and through it, every other backend).

import { decodeQuantScale, toFloat16Bits, type QuantConv2dGeometry } from "@tsnpu/tensor";

export function referenceQuantConv2d(
  g: QuantConv2dGeometry,
  input: Int8Array,
  weight: Int8Array,
  bias: Int32Array | null,
  scale: BigInt64Array,
): Uint16Array {
  const out = new Uint16Array(g.n * g.cout * g.hOut * g.wOut);
  // Step 1: padded cells hold offset_x.
  const padded = (n: number, c: number, y: number, x: number): number => {
    const yy = y - g.padH;
    const xx = x - g.padW;
    if (yy < 0 || yy >= g.h || xx < 0 || xx >= g.w) return g.offsetX;
    return input[((n * g.cin + c) * g.h + yy) * g.w + xx]!;
  };
  let o = 0;
  for (let n = 0; n < g.n; n++) {
    for (let co = 0; co < g.cout; co++) {
      for (let i = 0; i < g.hOut; i++) {
        for (let j = 0; j < g.wOut; j++) {
          // Step 2: int8 x int8 products summed in int32 with wrap-around.
          let acc = 0;
          for (let c = 0; c < g.cin; c++) {
            for (let u = 0; u < g.kh; u++) {
              for (let v = 0; v < g.kw; v++) {
                const x = padded(n, c, i * g.strideH + u * g.dilationH, j * g.strideW + v * g.dilationW);
                const w = weight[((co * g.cin + c) * g.kh + u) * g.kw + v]!;
                acc = (acc + x * w) | 0;
              }
            }
          }
          // Step 3: bias, wrapping.
          if (bias) acc = (acc + bias[co]!) | 0;
          // Steps 4-6: float32(acc) * scale19 rounded to float32, then to float16.
          const y = Math.fround(Math.fround(acc) * decodeQuantScale(scale[co]!));
          out[o++] = toFloat16Bits(y);
        }
      }
    }
  }
  return out;
}
