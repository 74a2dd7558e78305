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
                const x = padded(
                  n,
                  c,
                  i * g.strideH + u * g.dilationH,
                  j * g.strideW + v * g.dilationW,
                );
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

/** Round half to even, written out (spec section 4's `round`). Infinities pass through. */
function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d < 0.5) return f;
  if (d > 0.5) return f + 1;
  return f % 2 === 0 ? f : f + 1;
}

/**
 * docs/semantics/quant-conv2d.md section 4 read literally, on the float32 *bit patterns* (so a
 * signalling NaN's bits reach the mask unchanged): the int64 word for one scale and offset.
 */
export function referenceTransQuantParamWord(scaleBits: number, offset?: number): bigint {
  let word = BigInt((scaleBits & 0xffffe000) >>> 0) | (1n << 46n);
  if (offset !== undefined) {
    const o = Math.min(255, Math.max(-256, roundHalfEven(offset)));
    word = (word & 0x4000ffffffffn) | (BigInt(o & 0x1ff) << 37n);
  }
  return word;
}

/**
 * docs/semantics/npu-quantize.md section 2, read literally, one element at a time with its own
 * channel index from its coordinates: the oracle of npu_quantize. `x`, `scales`, `zeroPoints`
 * hold float32 values (float16 widened); `axis` is non-negative; the result is the integers.
 */
export function referenceNpuQuantize(
  shape: readonly number[],
  x: ArrayLike<number>,
  scales: ArrayLike<number>,
  zeroPoints: ArrayLike<number> | null,
  axis: number,
  divMode: boolean,
  dtype: "int8" | "uint8" | "int32",
): number[] {
  const [lo, hi] = { int8: [-128, 127], uint8: [0, 255], int32: [-(2 ** 31), 2 ** 31 - 1] }[
    dtype
  ] as [number, number];
  const rint = (v: number) => {
    const f = Math.floor(v);
    const d = v - f;
    if (d > 0.5) return f + 1;
    if (d < 0.5) return f;
    return f % 2 === 0 ? f : f + 1; // the tie goes to the even neighbour
  };
  const saturate = (q: number) => (q >= hi ? hi : q <= lo ? lo : q);
  const stride = shape.slice(axis + 1).reduce((p, d) => p * d, 1);
  const result: number[] = [];
  for (let k = 0; k < x.length; k++) {
    const c = scales.length === 1 ? 0 : Math.floor(k / stride) % shape[axis]!;
    const s = scales[c]!;
    const z = zeroPoints ? zeroPoints[c]! : 0;
    if (divMode) {
      const inv = Math.fround(1 / s); // 1
      const p = Math.fround(x[k]! * inv); // 2
      if (Number.isNaN(p)) {
        result.push(saturate(z)); // 6: NaN gives the zero point
        continue;
      }
      const r = Number.isFinite(p) ? rint(p) : p; // 3
      result.push(saturate(Math.fround(Math.fround(z) + r))); // 4, 5, 6
    } else {
      const p = Math.fround(Math.fround(x[k]! * s) + z); // 2
      if (Number.isNaN(p)) {
        result.push(Number.isNaN(z) ? 0 : saturate(rint(z))); // a NaN zero point gives 0 [assume]
        continue;
      }
      result.push(saturate(Number.isFinite(p) ? rint(p) : p)); // 3
    }
  }
  return result;
}
