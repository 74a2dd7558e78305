// Comparing float16 outputs bit for bit. Only NaN payloads may differ (spec section 3).

const isNaN16 = (h: number) => (h & 0x7c00) === 0x7c00 && (h & 0x3ff) !== 0;

/** The first index where two float16 bit arrays differ (NaN == NaN), or -1. */
export function firstBitMismatch(actual: Uint16Array, expected: Uint16Array): number {
  if (actual.length !== expected.length) return Math.min(actual.length, expected.length);
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (a !== e && !(isNaN16(a) && isNaN16(e))) return i;
  }
  return -1;
}

/** A readable failure message for the first mismatch. */
export function describeMismatch(actual: Uint16Array, expected: Uint16Array): string | null {
  const i = firstBitMismatch(actual, expected);
  if (i < 0) return null;
  const hex = (x: number | undefined) =>
    x === undefined ? "none" : `0x${x.toString(16).padStart(4, "0")}`;
  const count = actual.reduce(
    (c, a, k) => c + (a !== expected[k] && !(isNaN16(a) && isNaN16(expected[k]!)) ? 1 : 0),
    0,
  );
  return `lengths ${actual.length}/${expected.length}; ${count} element(s) differ, first at ${i}: got ${hex(actual[i])}, expected ${hex(expected[i])}`;
}

/** float16 bits as the Atlas inference series (Ascend310P) produces them: saturation, NaN -> 0. */
export function saturateFloat16(bits: Uint16Array): Uint16Array {
  return bits.map((h) => (isNaN16(h) ? 0 : (h & 0x7fff) === 0x7c00 ? (h & 0x8000) | 0x7bff : h));
}
