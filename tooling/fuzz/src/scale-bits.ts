// Scale bit patterns for the fuzzer. Scales are drawn as float32 *bits* (a JS number would
// quiet a signalling NaN before the code under test sees it) and int64 words as bigints.
// docs/semantics/quant-conv2d.md sections 3 step 4 (the mask) and 4 (the packing).

import type { Draws } from "./random.js";

/** Special float32 bit patterns and why each is there. */
export const SPECIAL_SCALE_BITS: readonly { readonly bits: number; readonly name: string }[] = [
  { bits: 0x7fc00000, name: "quiet NaN" },
  { bits: 0xffc00000, name: "negative quiet NaN" },
  { bits: 0x7fc00001, name: "quiet NaN, payload only in the masked bits" },
  {
    bits: 0x7f800001,
    name: "signalling NaN, payload only in the masked bits: +Infinity after the mask",
  },
  {
    bits: 0xff801fff,
    name: "negative signalling NaN, payload only in the masked bits: -Infinity after the mask",
  },
  { bits: 0x7fa00000, name: "signalling NaN, payload kept by the mask" },
  { bits: 0x7f800000, name: "+Infinity" },
  { bits: 0xff800000, name: "-Infinity" },
  { bits: 0x00000000, name: "+0" },
  { bits: 0x80000000, name: "-0" },
  { bits: 0x00000001, name: "smallest subnormal: 0 after the mask" },
  { bits: 0x007fffff, name: "largest subnormal" },
  { bits: 0x80400000, name: "negative subnormal" },
  { bits: 0x00800000, name: "smallest normal" },
  { bits: 0x7f7fffff, name: "largest finite" },
];

/** Bits of a finite scale whose products land anywhere from float16 subnormals to overflow. */
function ordinaryScaleBits(d: Draws): number {
  const value = (d.random() < 0.5 ? -1 : 1) * 2 ** (d.random() * 40 - 30);
  return new Uint32Array(Float32Array.of(value).buffer)[0]!;
}

/** One float32 scale's bits: mostly ordinary, with `specialRate` of special patterns. */
export function scaleBits(d: Draws, specialRate: number): number {
  if (d.random() >= specialRate) {
    const bits = ordinaryScaleBits(d);
    // Noise in the 13 low bits, which the mask must drop.
    return d.random() < 0.3 ? (bits | d.int(0, 0x1fff)) >>> 0 : bits;
  }
  return d.random() < 0.8 ? d.pick(SPECIAL_SCALE_BITS).bits : d.int(0, 0xffffffff) >>> 0;
}

/** The high 32 bits of an int64 scale word: the 1<<46 flag, an offset, or garbage (all ignored). */
export function scaleWordHigh(d: Draws): number {
  switch (d.int(0, 3)) {
    case 0:
      return 1 << 14; // the flag npu_trans_quant_param sets
    case 1:
      return ((1 << 14) | (d.int(0, 0x1ff) << 5)) >>> 0; // the flag and a 9-bit offset
    case 2:
      return 0;
    default:
      return d.int(0, 0xffffffff) >>> 0;
  }
}

/** A float32 offset for npu_trans_quant_param: ties, values beyond the 9-bit range, infinities, -0. */
export function offsetValue(d: Draws): number {
  switch (d.int(0, 5)) {
    case 0:
      return d.int(-300, 300) + 0.5; // a tie: rounds to even
    case 1:
      return d.pick([Infinity, -Infinity, -0, 255.5, -256.5, 1e30, -1e30]);
    default:
      return Math.fround((d.random() - 0.5) * 640);
  }
}

/** The int64 word made of a high and a low 32-bit half. */
export function word64(high: number, low: number): bigint {
  return BigInt.asIntN(64, (BigInt(high >>> 0) << 32n) | BigInt(low >>> 0));
}

/** float32 bit patterns as a Float32Array sharing them (no conversion through a JS number). */
export function float32FromBitsArray(bits: readonly number[]): Float32Array {
  return new Float32Array(Uint32Array.from(bits).buffer);
}
