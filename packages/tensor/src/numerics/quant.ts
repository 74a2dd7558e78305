// The quantisation helpers shared by every backend: the int64 scale word of
// npu_trans_quant_param and the geometry of one QuantConv2d call. See docs/semantics/quant-conv2d.md.

import { float32FromBits } from "./float16.js";
import type { Window2dGeometry } from "../ops/spatial.js";

/** Sign, exponent and top 10 mantissa bits of a float32: what the hardware's dequant reads. */
export const SCALE_MANTISSA_MASK = 0xffffe000;

/**
 * spec section 3 step 4: the float32 multiplier held in the low 32 bits of an int64 scale word,
 * with the low 13 bits cleared. Bits 32..63 (the offset and the 1<<46 flag) are ignored.
 */
export function decodeQuantScale(word: bigint): number {
  const low = Number(BigInt.asUintN(32, word));
  return float32FromBits((low & SCALE_MANTISSA_MASK) >>> 0);
}

/** True where typed arrays are little-endian (every platform Node and browsers run on today). */
const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/**
 * Decodes every scale word (see {@link decodeQuantScale}) into `out` (by default a new array).
 * Reads the low 32 bits through a Uint32Array view instead of BigInt arithmetic, which took
 * 10 µs for 512 words against 1.3 µs this way: eager QuantConv2d calls pay it every time.
 */
export function decodeQuantScales(
  words: BigInt64Array,
  out = new Float32Array(words.length),
): Float32Array {
  if (!LITTLE_ENDIAN) {
    for (let i = 0; i < words.length; i++) out[i] = decodeQuantScale(words[i]!);
    return out;
  }
  const halves = new Uint32Array(words.buffer, words.byteOffset, words.length * 2); // low word first
  const bits = new Uint32Array(out.buffer, out.byteOffset, out.length);
  for (let i = 0; i < words.length; i++) bits[i] = halves[2 * i]! & SCALE_MANTISSA_MASK;
  return out;
}

/**
 * Everything a QuantConv2d kernel needs to know about the shapes, already validated by the
 * op's meta function. Kernels take it as is and re-check nothing.
 */
export interface QuantConv2dGeometry extends Window2dGeometry {
  readonly n: number;
  readonly cin: number;
  readonly cout: number;
  /** The value held by padded cells (spec section 3 step 1). */
  readonly offsetX: number;
}
