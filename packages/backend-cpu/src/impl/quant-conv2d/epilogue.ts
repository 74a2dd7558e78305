// spec steps 3-6: bias (wrapping), float32(acc) * scale rounded to float32, then float16 bits.

import { float32BitsToFloat16Bits } from "@tsnpu/tensor";

/**
 * float32 bits -> float16 bits, bit-identical to the shared float32BitsToFloat16Bits. The
 * normal float16 range is handled inline: re-biasing the exponent and adding 0xfff plus the
 * lowest kept bit rounds to nearest even, and a carry out of the mantissa bumps the exponent
 * (reaching 0x7c00 = Infinity exactly when the value overflows). Everything else (subnormals,
 * zero, overflow beyond, Inf, NaN) goes to the shared conversion.
 */
export function float32BitsToFloat16BitsFast(bits: number): number {
  const abs = bits & 0x7fffffff;
  if (abs >= 0x38800000 && abs < 0x47800000) {
    return ((bits >>> 16) & 0x8000) | ((abs - 0x38000000 + 0xfff + ((abs >>> 13) & 1)) >>> 13);
  }
  return float32BitsToFloat16Bits(bits);
}

/**
 * Writes one batch item's outputs: out[outOffset + o * pixels + p] for every channel o and
 * pixel p, from the int32 sums in `acc` (same layout). `scratch` holds at least `pixels` floats.
 */
export function dequantizeToFloat16(
  acc: Int32Array,
  bias: Int32Array | null,
  scale: Float32Array,
  cout: number,
  pixels: number,
  out: Uint16Array,
  outOffset: number,
  scratch: Float32Array,
): void {
  const scratchBits = new Uint32Array(scratch.buffer, scratch.byteOffset, pixels);
  for (let o = 0; o < cout; o++) {
    const b = bias ? bias[o]! : 0;
    const s = scale[o]!;
    const row = o * pixels;
    // float32(acc) * scale is exact in float64 (24 + 24 bits), so the store into a Float32Array
    // is the spec's single rounding of the product, same as Math.fround.
    for (let p = 0; p < pixels; p++) scratch[p] = Math.fround((acc[row + p]! + b) | 0) * s;
    const dst = outOffset + row;
    for (let p = 0; p < pixels; p++) out[dst + p] = float32BitsToFloat16BitsFast(scratchBits[p]!);
  }
}
