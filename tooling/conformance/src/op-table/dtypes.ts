// dtype lists and small draws that several entries share.

import { bool, dtypes, type DType, type Scalar } from "@tsnpu/tensor";
import type { SampleGen } from "./inputs.js";

export const ALL_DTYPES: readonly DType[] = Object.values(dtypes);
export const NUMERIC_DTYPES = ALL_DTYPES.filter((d) => d !== bool);
export const FLOAT_DTYPES = ALL_DTYPES.filter((d) => d.isFloatingPoint);

/**
 * Two shapes that broadcast: a random shape, with some dims set to 1 on either side and leading
 * dims dropped from the second.
 */
export function broadcastPair(g: SampleGen): [number[], number[]] {
  const full = g.shape(4, 5, g.int(1, 4));
  const a = full.map((s) => (g.chance(0.3) ? 1 : s));
  const b = full.slice(g.int(0, full.length - 1)).map((s) => (g.chance(0.3) ? 1 : s));
  return [a, b];
}

/**
 * JS scalar operands: integers that fit every dtype (uint8 takes negatives too; a larger integer
 * is refused for integer results), non-integers at the float edges, a bool.
 */
export function scalarOperand(g: SampleGen): Scalar {
  return g.pick<Scalar>([
    3,
    -2,
    0,
    -0,
    2.5,
    -1e-30,
    65519.9,
    Number.NaN,
    Infinity,
    -Infinity,
    true,
  ]);
}
