// Per-case random streams: case `index` of run `seed` has its own generator, so any one case can
// be rebuilt alone (`pnpm fuzz --replay <seed>:<index>`) without generating the ones before it.

import { draws, seededRandom } from "@tsnpu/conformance";

export interface Draws extends ReturnType<typeof draws> {
  readonly random: () => number;
}

/** The generator of case `index` of run `seed` (both 32-bit integers, mixed by a hash). */
export function caseDraws(seed: number, index: number): Draws {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h ^= h >>> 15;
  const random = seededRandom(h >>> 0);
  return { ...draws(random), random };
}
