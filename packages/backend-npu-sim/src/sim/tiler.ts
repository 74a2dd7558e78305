// Work split over cores and L0 tile choice (docs/semantics/npu-sim.md sections 3.1 and 3.5). The real
// tiling search is not public [assume]: we enumerate every split of batch x Cout 16-blocks x
// M 16-blocks into at most `cores` parts and every L0 tile that fits, and keep the one with the
// lowest modelled time (cycles.ts). Tiles are balanced: for each tile count along M and Cout,
// the smallest multiple of 16 that reaches it.

import type { QuantConv2dGeometry } from "@tsnpu/tensor";
import type { SocSpec } from "./soc.js";
import { coreCost } from "./cycles.js";
import { convDims, type ConvDims, type CorePart, type CoreSplit, type L0Tiles } from "./plan.js";

/** Load3D / mmad encode K in 12 bits: kL0 < 4096 [doc]. */
export const MAX_K_L0 = 4096 - 32;

/** Per-tile buffer limits; L0A/L0B/L0C are halved for double buffering. */
export interface TileLimits {
  /** mL0*kL0 bytes (int8) <= l0a */
  readonly l0a: number;
  /** kL0*nL0 bytes (int8) <= l0b */
  readonly l0b: number;
  /** mL0*nL0*4 bytes (int32) <= l0c */
  readonly l0c: number;
  readonly maxK: number;
  /** nL0 <= maxN: BiasTable holds nL0 int32 values; Infinity when there is no table or no bias. */
  readonly maxN: number;
}

export function tileLimits(soc: SocSpec, hasBias: boolean): TileLimits {
  const bt = soc.biasTableBytes.value;
  return {
    l0a: soc.l0aBytes.value / 2,
    l0b: soc.l0bBytes.value / 2,
    l0c: soc.l0cBytes.value / 2,
    maxK: MAX_K_L0,
    maxN: hasBias && bt !== null ? Math.floor(bt / 4) : Infinity,
  };
}

/** Whether a tile fits every buffer (spec section 3.5). */
export function tileFits(soc: SocSpec, t: L0Tiles, hasBias: boolean): boolean {
  const l = tileLimits(soc, hasBias);
  return (
    t.mL0 > 0 &&
    t.kL0 > 0 &&
    t.nL0 > 0 &&
    t.mL0 % 16 === 0 &&
    t.kL0 % 32 === 0 &&
    t.nL0 % 16 === 0 &&
    t.mL0 * t.kL0 <= l.l0a &&
    t.kL0 * t.nL0 <= l.l0b &&
    t.mL0 * t.nL0 * 4 <= l.l0c &&
    t.kL0 < 4096 &&
    t.nL0 <= l.maxN
  );
}

/** Half-open range of part `i` when `total` items go to `parts` parts, the first ones one larger. */
export function splitRange(total: number, parts: number, i: number): [number, number] {
  const base = Math.floor(total / parts);
  const extra = total % parts;
  const start = i * base + Math.min(i, extra);
  return [start, start + base + (i < extra ? 1 : 0)];
}

/** Every core's part for a split, batch-major. */
export function coreParts(g: QuantConv2dGeometry, d: ConvDims, split: CoreSplit): CorePart[] {
  const parts: CorePart[] = [];
  for (let b = 0; b < split.batch; b++) {
    const [n0, n1] = splitRange(g.n, split.batch, b);
    for (let c = 0; c < split.cout; c++) {
      const [cb0, cb1] = splitRange(d.coutBlocks, split.cout, c);
      for (let m = 0; m < split.m; m++) {
        const [mb0, mb1] = splitRange(d.mBlocks, split.m, m);
        parts.push({ n0, n1, mb0, mb1, cb0, cb1 });
      }
    }
  }
  return parts;
}

/**
 * Balanced tile sizes for `blocks` 16-blocks: for each tile count, the smallest tile that reaches
 * it (a larger tile with the same count only shrinks the K tile). Largest first.
 */
function balancedTileSizes(blocks: number): number[] {
  const sizes: number[] = [];
  for (let count = 1; count <= blocks; count++) {
    const size = Math.ceil(blocks / count) * 16;
    if (sizes[sizes.length - 1] !== size) sizes.push(size);
  }
  return sizes;
}

/** The tile with the lowest modelled cost for `part`; ties go to bigger tiles (fewer instructions). */
export function chooseL0Tiles(
  soc: SocSpec,
  g: QuantConv2dGeometry,
  d: ConvDims,
  part: CorePart,
  hasBias: boolean,
): { tiles: L0Tiles; cycles: number; gmBytes: number } {
  const l = tileLimits(soc, hasBias);
  let best: { tiles: L0Tiles; cycles: number; gmBytes: number } | null = null;
  const mSizes = balancedTileSizes(part.mb1 - part.mb0);
  for (const nL0 of balancedTileSizes(part.cb1 - part.cb0)) {
    if (nL0 > l.maxN || 32 * nL0 > l.l0b) continue;
    for (const mL0 of mSizes) {
      if (mL0 * nL0 * 4 > l.l0c || mL0 * 32 > l.l0a) continue;
      // The largest K tile that fits, then evened out so the K tiles are equal.
      const kMax = Math.floor(Math.min(l.l0a / mL0, l.l0b / nL0, l.maxK) / 32) * 32;
      const kTiles = Math.ceil(d.k / kMax);
      const kL0 = Math.ceil(d.kBlocks / kTiles) * 32;
      const tiles = { mL0, kL0, nL0 };
      const c = coreCost(soc, g, d, part, tiles);
      const better =
        !best ||
        c.cycles < best.cycles ||
        (c.cycles === best.cycles && mL0 * nL0 > best.tiles.mL0 * best.tiles.nL0);
      if (better) best = { tiles, cycles: c.cycles, gmBytes: c.bytes.gmToL1 };
    }
  }
  if (!best) throw new Error(`no L0 tile fits on ${soc.name} for this part`); // unreachable: 16x32x16 always fits
  return best;
}

export interface QuantConv2dPlan {
  readonly soc: SocSpec;
  readonly g: QuantConv2dGeometry;
  readonly dims: ConvDims;
  readonly split: CoreSplit;
  readonly tiles: L0Tiles;
  readonly parts: readonly CorePart[];
  readonly hasBias: boolean;
}

/**
 * The split (at most `cores` parts) and L0 tiles with the lowest modelled time. The first part is
 * the largest in every dimension (see splitRange), so it stands for the slowest core in the search.
 */
export function planQuantConv2d(
  soc: SocSpec,
  g: QuantConv2dGeometry,
  hasBias = true,
): QuantConv2dPlan {
  const d = convDims(g);
  const cores = soc.cubeCores.value;
  let best: { split: CoreSplit; tiles: L0Tiles; cycles: number; gm: number } | null = null;
  for (let b = 1; b <= Math.min(g.n, cores); b++) {
    for (let c = 1; c <= Math.min(d.coutBlocks, Math.floor(cores / b)); c++) {
      for (let m = 1; m <= Math.min(d.mBlocks, Math.floor(cores / (b * c))); m++) {
        const [n0, n1] = splitRange(g.n, b, 0);
        const [cb0, cb1] = splitRange(d.coutBlocks, c, 0);
        const [mb0, mb1] = splitRange(d.mBlocks, m, 0);
        const t = chooseL0Tiles(soc, g, d, { n0, n1, cb0, cb1, mb0, mb1 }, hasBias);
        const parts = b * c * m;
        const gm = t.gmBytes * parts; // tie-break: less total traffic
        if (!best || t.cycles < best.cycles || (t.cycles === best.cycles && gm < best.gm)) {
          best = { split: { batch: b, cout: c, m, parts }, tiles: t.tiles, cycles: t.cycles, gm };
        }
      }
    }
  }
  if (!best) throw new Error("planQuantConv2d: empty geometry (check limits first)");
  return {
    soc,
    g,
    dims: d,
    split: best.split,
    tiles: best.tiles,
    parts: coreParts(g, d, best.split),
    hasBias,
  };
}
