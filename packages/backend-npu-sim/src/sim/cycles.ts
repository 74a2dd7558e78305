// The cycle model of docs/semantics/npu-sim.md section 5, per core: a roofline (Cube, MTE1, MTE2, FixPipe
// run in parallel, the slowest bounds the core). The op's time, the slowest core plus a launch
// overhead, is profile.ts's. Every figure used is a tagged constant of the SoC table; the
// profile lists them with their tags.
//
// Loop nest being modelled, per core [assume]: for each batch, for each m tile, for each n tile,
// for each k tile: Load3D A (L1 -> L0A), load B (L1 -> L0B), mmad into L0C; then FixPipe
// dequantises the L0C tile to GM. With one k tile a resident A is reused across n tiles, and with
// one k tile and one n tile a resident B is reused across m tiles.

import type { QuantConv2dGeometry } from "@tsnpu/tensor";
import type { SocSpec } from "./soc.js";
import { C0_INT8, CO0, ceilDiv } from "./layouts.js";
import type { ConvDims, CorePart, L0Tiles } from "./plan.js";

/** The unit bounding an op: the Cube path's, or for Vector ops (vector.ts) vector / mte2 / mte3. */
export type BoundUnit = "cube" | "mte1" | "mte2" | "fixpipe" | "vector" | "mte3";

export interface UnitCycles {
  readonly cube: number;
  readonly mte1: number;
  readonly mte2: number;
  readonly fixpipe: number;
  /** Vector ops only: vector-unit repeats and UB -> GM (MTE3) cycles. */
  readonly vector?: number;
  readonly mte3?: number;
}

export interface LevelBytes {
  /** GM (through L2) -> L1: input, weight, bias and scale. */
  readonly gmToL1: number;
  /** L1 -> L0A (Load3D img2col output). */
  readonly l1ToL0a: number;
  /** L1 -> L0B (weight fractals). */
  readonly l1ToL0b: number;
  /** L0C -> GM through the dequant unit (float16 output). */
  readonly l0cToGm: number;
}

export interface CoreCost {
  readonly units: UnitCycles;
  readonly bytes: LevelBytes;
  /** max(units) + prologue. */
  readonly cycles: number;
  readonly boundBy: BoundUnit;
}

/** Input rows (inside the image) that output rows [ho0, ho1] read. */
function inputRows(g: QuantConv2dGeometry, ho0: number, ho1: number): number {
  const first = Math.max(0, ho0 * g.strideH - g.padH);
  const last = Math.min(g.h - 1, ho1 * g.strideH - g.padH + (g.kh - 1) * g.dilationH);
  return Math.max(0, last - first + 1);
}

/** Input rows an m tile of `rows` output pixels reads, for a tile not aligned to an output row. */
function inputRowsPerTile(g: QuantConv2dGeometry, rows: number): number {
  const outRows = Math.min(g.hOut, ceilDiv(rows, g.wOut) + (rows % g.wOut === 0 ? 0 : 1));
  return Math.min(g.h, (outRows - 1) * g.strideH + (g.kh - 1) * g.dilationH + 1);
}

/** The modelled cost of one core's part with the given L0 tiles (see the loop nest above). */
export function coreCost(
  soc: SocSpec,
  g: QuantConv2dGeometry,
  d: ConvDims,
  p: CorePart,
  t: L0Tiles,
): CoreCost {
  const nb = p.n1 - p.n0;
  const mBlocks = p.mb1 - p.mb0;
  const nBlocks = p.cb1 - p.cb0;
  if (nb <= 0 || mBlocks <= 0 || nBlocks <= 0) {
    return {
      units: { cube: 0, mte1: 0, mte2: 0, fixpipe: 0 },
      bytes: { gmToL1: 0, l1ToL0a: 0, l1ToL0b: 0, l0cToGm: 0 },
      cycles: 0,
      boundBy: "cube",
    };
  }
  const mPad = mBlocks * 16;
  const nc = nBlocks * CO0;
  const mTiles = ceilDiv(mPad, t.mL0);
  const nTiles = ceilDiv(nc, t.nL0);
  const kTiles = ceilDiv(d.k, t.kL0);
  const mFirst = p.mb0 * 16;
  const mValid = Math.max(0, Math.min(p.mb1 * 16, d.m) - mFirst);

  // Cube: one 16x32x16 int8 fractal per cycle; tiles end on block boundaries, so this is exact.
  const cube = nb * mBlocks * d.kBlocks * nBlocks;

  // MTE2 (GM -> L1). L1 holds the part's weights and input rows when both fit; otherwise the
  // weights stay if they fit in half of L1 and input rows stream per m tile; otherwise weights
  // stream once per m tile [assume].
  const l1 = soc.l1Bytes.value;
  const rowBytes = g.w * d.c1 * C0_INT8;
  const wBytes = d.k * nc;
  const partIn =
    inputRows(
      g,
      Math.floor(mFirst / g.wOut),
      Math.floor((mFirst + Math.max(mValid, 1) - 1) / g.wOut),
    ) * rowBytes;
  const tileIn = inputRowsPerTile(g, Math.min(t.mL0, Math.max(mValid, 1))) * rowBytes;
  const tileInReloads = tileIn <= l1 / 2 ? 1 : nTiles; // a slab too big for half of L1 is re-read per n tile
  let gm: number;
  if (wBytes + partIn <= l1) gm = wBytes + nb * partIn;
  else if (wBytes <= l1 / 2) gm = wBytes + nb * mTiles * tileIn * tileInReloads;
  else gm = nb * mTiles * (tileIn * tileInReloads + wBytes);
  gm += nc * (4 + 8); // bias (int32, counted even without one) and scale words (int64)
  const gmRate = Math.min(soc.gmReadBytesPerCycle.value, soc.l2ReadBytesPerCycle.value);
  const mte2 = gm / gmRate;

  // MTE1 (L1 -> L0A / L0B), with the reuse rules above.
  const aBytes = nb * mPad * d.k * (kTiles === 1 ? 1 : nTiles);
  const bBytes = d.k * nc * (kTiles === 1 && nTiles === 1 ? 1 : nb * mTiles);
  const mte1 = aBytes / soc.l1ToL0aBytesPerCycle.value + bBytes / soc.l1ToL0bBytesPerCycle.value;

  // FixPipe (or 310P's vector dequant): float16 bytes written [assume rate].
  const out = nb * mValid * nc * 2;
  const fixpipe = out / soc.fixpipeBytesPerCycle.value;

  // The slowest unit bounds the core (ties go to the earlier unit: cube, mte1, mte2, fixpipe).
  let boundBy: BoundUnit = "cube";
  let max = cube;
  for (const [unit, cycles] of [
    ["mte1", mte1],
    ["mte2", mte2],
    ["fixpipe", fixpipe],
  ] as const) {
    if (cycles > max) {
      boundBy = unit;
      max = cycles;
    }
  }
  return {
    units: { cube, mte1, mte2, fixpipe },
    bytes: { gmToL1: gm, l1ToL0a: aBytes, l1ToL0b: bBytes, l0cToGm: out },
    cycles: max + soc.corePrologueCycles.value,
    boundBy,
  };
}
