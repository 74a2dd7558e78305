// IEEE 754 binary16 <-> binary32 conversions on bit patterns.
// Node 20 has no Float16Array / Math.f16round, so float16 tensors store their bits in a
// Uint16Array and every conversion goes through these two functions (checked against all of
// tooling/conformance/vectors/float16 in the tests).

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** Bits of a float32 (the argument is first rounded to float32). */
export function float32Bits(x: number): number {
  f32[0] = x;
  return u32[0]!;
}

/** The float32 whose bits are `bits` (as a JS number). */
export function float32FromBits(bits: number): number {
  u32[0] = bits >>> 0;
  return f32[0]!;
}

/**
 * float32 bits -> float16 bits, round to nearest, ties to even. Overflow gives +-Infinity,
 * results below the float16 normal range become subnormals (or signed zero), NaN stays NaN
 * (quiet, payload truncated).
 */
export function float32BitsToFloat16Bits(bits: number): number {
  const sign = (bits >>> 16) & 0x8000;
  const exp = (bits >>> 23) & 0xff;
  const mant = bits & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant !== 0 ? 0x200 | (mant >>> 13) : 0);
  const e = exp - 127 + 15; // float16 biased exponent
  if (e >= 31) return sign | 0x7c00;
  if (e <= 0) {
    // Below 2^-25 everything rounds to zero (2^-25 itself is a tie that goes to even zero).
    if (e < -10) return sign;
    const m = mant | 0x800000; // implicit leading one
    const shift = 14 - e; // 14..24: aligns m to units of 2^-24 (the smallest subnormal)
    const half = 1 << (shift - 1);
    const rem = m & ((1 << shift) - 1);
    let r = m >>> shift;
    if (rem > half || (rem === half && (r & 1) !== 0)) r++;
    return sign | r; // a carry into 0x400 is the smallest normal, which is right
  }
  let r = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && (r & 1) !== 0)) r++; // a carry may reach 0x7c00 = inf
  return sign | r;
}

/** A JS number -> float16 bits, rounding to float32 first (the spec's two roundings). */
export function toFloat16Bits(x: number): number {
  return float32BitsToFloat16Bits(float32Bits(x));
}

/** float16 bits -> float32 bits (exact widening). */
export function float16BitsToFloat32Bits(h: number): number {
  const sign = (h & 0x8000) << 16;
  const exp = (h >>> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0x1f) return (sign | 0x7f800000 | (mant << 13)) >>> 0;
  if (exp !== 0) return (sign | ((exp - 15 + 127) << 23) | (mant << 13)) >>> 0;
  if (mant === 0) return sign >>> 0;
  // Subnormal: normalise the mantissa.
  const lead = 31 - Math.clz32(mant); // position of the highest set bit, 0..9
  const e = lead - 24 + 127; // value = mant * 2^-24
  const m = (mant << (23 - lead)) & 0x7fffff;
  return (sign | (e << 23) | m) >>> 0;
}

/** float16 bits -> the JS number it denotes (exact). */
export function float16BitsToNumber(h: number): number {
  return float32FromBits(float16BitsToFloat32Bits(h));
}

/**
 * `n` float32 values from `src[from]` on -> float16 bits at `dst[to]` on, bit for bit what
 * toFloat16Bits gives each element (a NaN read into a JS number keeps its payload, so its
 * float16 bits come straight from the float32 bits). Works on the integer bits: values in
 * float16's normal range round in one add (as assembly/f16.ts's f16FromNormal does); the rest
 * take float32BitsToFloat16Bits.
 */
export function float32ArrayToFloat16Bits(
  src: Float32Array,
  from: number,
  dst: Uint16Array,
  to: number,
  n: number,
): void {
  const bits = new Uint32Array(src.buffer, src.byteOffset + from * 4, n);
  for (let i = 0; i < n; i++) {
    const x = bits[i]!;
    const a = x & 0x7fffffff;
    // [2^-14, 65520): normal float16 results. Round half to even and rebias in one add.
    dst[to + i] =
      a >= 0x38800000 && a < 0x477ff000
        ? ((x >>> 16) & 0x8000) | ((a + (0xfff - (112 << 23)) + ((a >>> 13) & 1)) >>> 13)
        : float32BitsToFloat16Bits(x);
  }
}

/** `n` float16 bits from `src[from]` on -> float32 values at `dst[to]` on (exact). */
export function float16BitsToFloat32Array(
  src: Uint16Array,
  from: number,
  dst: Float32Array,
  to: number,
  n: number,
): void {
  const bits = new Uint32Array(dst.buffer, dst.byteOffset + to * 4, n);
  for (let i = 0; i < n; i++) {
    const h = src[from + i]!;
    const e = h & 0x7c00;
    // Normal values: shift into place and rebias (112 << 23). A NaN comes out quiet, as a
    // read into a JS number makes it (optimized code may skip that step; this loop never does).
    bits[i] =
      e !== 0 && e !== 0x7c00
        ? (((h & 0x8000) << 16) | (((h & 0x7fff) << 13) + (112 << 23))) >>> 0
        : float16BitsToFloat32Bits(h) | ((h & 0x7fff) > 0x7c00 ? 0x400000 : 0);
  }
}
