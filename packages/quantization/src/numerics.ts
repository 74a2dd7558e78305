// Host arithmetic shared by the observers and the layer builder: round half to even and the
// quantize step of npu_quantize (div_mode = true, docs/semantics and spec npu-quantize.md
// section 2), used to score clip ranges.

/** Round half to even (C's rint / nearbyint in the default mode). */
export function rint(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

export const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/** int8 x_q as npu_quantize computes it: rint(fround(x * fround(1 / s))) + z, saturated. */
export function quantizeInt8(x: number, scale: number, zeroPoint: number): number {
  const inv = Math.fround(1 / scale);
  return clamp(Math.fround(zeroPoint + rint(Math.fround(x * inv))), -128, 127);
}
