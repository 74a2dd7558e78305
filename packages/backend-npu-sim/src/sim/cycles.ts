// The cycle model of docs/semantics/npu-sim.md section 5: a roofline per core (Cube, MTE1, MTE2, FixPipe
// run in parallel, the slowest bounds the core), then the slowest core plus a launch overhead.
// Every figure used is a tagged constant of the SoC table; the profile lists them with their tags.
//
// Loop nest being modelled, per core [assume]: for each batch, for each m tile, for each n tile,
// for each k tile: Load3D A (L1 -> L0A), load B (L1 -> L0B), mmad into L0C; then FixPipe
// dequantises the L0C tile to GM. With one k tile a resident A is reused across n tiles, and with
// one k tile and one n tile a resident B is reused across m tiles.

import type { QuantConv2dGeometry } from "@tsnpu/tensor";
import { peakInt8Tops, type SocSpec, type Tagged, type SourceTag } from "./soc.js";
import { C0_INT8, CO0, ceilDiv } from "./layouts.js";

export type BoundUnit = "cube" | "mte1" | "mte2" | "fixpipe";

/** Sizes derived once from the geometry, in the hardware's padded units. */
export interface ConvDims {
  /** Output pixels per image, Ho*Wo. */
  readonly m: number;
  /** 16-row blocks of M (M padded up to a multiple of 16). */
  readonly mBlocks: number;
  /** Input channel groups of 32. */
  readonly c1: number;
  /** K blocks of 32: C1*KH*KW. */
  readonly kBlocks: number;
  /** Padded K: kBlocks*32. */
  readonly k: number;
  /** Output channel blocks of 16. */
  readonly coutBlocks: number;
}

export function convDims(g: QuantConv2dGeometry): ConvDims {
  const m = g.hOut * g.wOut;
  const c1 = ceilDiv(g.cin, C0_INT8);
  const kBlocks = c1 * g.kh * g.kw;
  return { m, mBlocks: ceilDiv(m, 16), c1, kBlocks, k: kBlocks * C0_INT8, coutBlocks: ceilDiv(g.cout, CO0) };
}

export interface L0Tiles {
  /** Rows of A / C per tile (multiple of 16). */
  readonly mL0: number;
  /** K per tile (multiple of 32, < 4096). */
  readonly kL0: number;
  /** Columns of B / C per tile (multiple of 16). */
  readonly nL0: number;
}

/** One core's share: half-open ranges of batches, 16-row M blocks and 16-channel Cout blocks. */
export interface CorePart {
  readonly n0: number;
  readonly n1: number;
  readonly mb0: number;
  readonly mb1: number;
  readonly cb0: number;
  readonly cb1: number;
}

export interface UnitCycles {
  readonly cube: number;
  readonly mte1: number;
  readonly mte2: number;
  readonly fixpipe: number;
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
export function coreCost(soc: SocSpec, g: QuantConv2dGeometry, d: ConvDims, p: CorePart, t: L0Tiles): CoreCost {
  const nb = p.n1 - p.n0;
  const mBlocks = p.mb1 - p.mb0;
  const nBlocks = p.cb1 - p.cb0;
  if (nb <= 0 || mBlocks <= 0 || nBlocks <= 0) {
    return { units: { cube: 0, mte1: 0, mte2: 0, fixpipe: 0 }, bytes: { gmToL1: 0, l1ToL0a: 0, l1ToL0b: 0, l0cToGm: 0 }, cycles: 0, boundBy: "cube" };
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
  const partIn = inputRows(g, Math.floor(mFirst / g.wOut), Math.floor((mFirst + Math.max(mValid, 1) - 1) / g.wOut)) * rowBytes;
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
  if (mte1 > max) (boundBy = "mte1"), (max = mte1);
  if (mte2 > max) (boundBy = "mte2"), (max = mte2);
  if (fixpipe > max) (boundBy = "fixpipe"), (max = fixpipe);
  return {
    units: { cube, mte1, mte2, fixpipe },
    bytes: { gmToL1: gm, l1ToL0a: aBytes, l1ToL0b: bBytes, l0cToGm: out },
    cycles: max + soc.corePrologueCycles.value,
    boundBy,
  };
}

// ---- the profile ------------------------------------------------------------------------

export interface ConstantUsed {
  readonly name: string;
  readonly value: unknown;
  readonly tag: SourceTag;
  readonly note?: string;
}

export interface CoreSplit {
  /** Parts along batch, Cout 16-blocks and M 16-blocks; parts = batch*cout*m <= cores. */
  readonly batch: number;
  readonly cout: number;
  readonly m: number;
  readonly parts: number;
}

export interface OpProfile {
  readonly op: "QuantConv2d" | "TransData";
  /** e.g. "QuantConv2d" or "TransData(NCHW->NC1HWC0)". */
  readonly name: string;
  readonly soc: string;
  /** Slowest core, prologue included, launch overhead excluded. */
  readonly cycles: number;
  /** cycles / clock + launch overhead. */
  readonly microseconds: number;
  readonly launchOverheadUs: number;
  readonly boundBy: BoundUnit;
  /** The slowest core's per-unit cycles. */
  readonly units: UnitCycles;
  /** Useful int8 multiply-accumulates (no padding). */
  readonly macs: number;
  /** Multiply-accumulates the Cube performs, padding of M, K and Cout included. */
  readonly paddedMacs: number;
  readonly achievedTops: number;
  readonly peakTops: number;
  readonly split: CoreSplit | null;
  readonly tiles: L0Tiles | null;
  /** Bytes per level, summed over all cores. */
  readonly bytes: LevelBytes;
  readonly constants: readonly ConstantUsed[];
  /** Layout conversions done around this op, in order. */
  readonly transData: readonly OpProfile[];
  /** For a TransData: whether it runs before or after the op it serves; null for the op itself. */
  readonly placement: "before" | "after" | null;
}

const used = (name: string, c: Tagged<unknown>): ConstantUsed => ({ name, value: c.value, tag: c.tag, ...(c.note ? { note: c.note } : {}) });

function convConstants(soc: SocSpec): ConstantUsed[] {
  return [
    used("cubeCores", soc.cubeCores),
    used("clockGHz", soc.clockGHz),
    used("cubeStep", soc.cubeStep),
    used("l1Bytes", soc.l1Bytes),
    used("l0aBytes", soc.l0aBytes),
    used("l0bBytes", soc.l0bBytes),
    used("l0cBytes", soc.l0cBytes),
    used("biasTableBytes", soc.biasTableBytes),
    used("gmReadBytesPerCycle", soc.gmReadBytesPerCycle),
    used("l2ReadBytesPerCycle", soc.l2ReadBytesPerCycle),
    used("l1ToL0aBytesPerCycle", soc.l1ToL0aBytesPerCycle),
    used("l1ToL0bBytesPerCycle", soc.l1ToL0bBytesPerCycle),
    used("dequantUnit", soc.dequantUnit),
    used("fixpipeBytesPerCycle", soc.fixpipeBytesPerCycle),
    used("corePrologueCycles", soc.corePrologueCycles),
    used("launchOverheadUs", soc.launchOverheadUs),
  ];
}

const cyclesToUs = (soc: SocSpec, cycles: number): number => cycles / (soc.clockGHz.value * 1e3);

/** The QuantConv2d profile: every part costed, the slowest core bounds the op. */
export function quantConv2dProfile(
  soc: SocSpec,
  g: QuantConv2dGeometry,
  split: CoreSplit,
  tiles: L0Tiles,
  parts: readonly CorePart[],
  transData: readonly OpProfile[] = [],
): OpProfile {
  const d = convDims(g);
  let slowest: CoreCost | null = null;
  const bytes = { gmToL1: 0, l1ToL0a: 0, l1ToL0b: 0, l0cToGm: 0 };
  for (const p of parts) {
    const c = coreCost(soc, g, d, p, tiles);
    bytes.gmToL1 += c.bytes.gmToL1;
    bytes.l1ToL0a += c.bytes.l1ToL0a;
    bytes.l1ToL0b += c.bytes.l1ToL0b;
    bytes.l0cToGm += c.bytes.l0cToGm;
    if (!slowest || c.cycles > slowest.cycles) slowest = c;
  }
  const cycles = slowest ? slowest.cycles : 0;
  const launch = soc.launchOverheadUs.value;
  const microseconds = cyclesToUs(soc, cycles) + launch;
  const macs = g.n * d.m * g.cout * g.cin * g.kh * g.kw;
  const paddedMacs = g.n * d.mBlocks * 16 * d.k * d.coutBlocks * CO0;
  return {
    op: "QuantConv2d",
    name: "QuantConv2d",
    soc: soc.name,
    cycles,
    microseconds,
    launchOverheadUs: launch,
    boundBy: slowest ? slowest.boundBy : "cube",
    units: slowest ? slowest.units : { cube: 0, mte1: 0, mte2: 0, fixpipe: 0 },
    macs,
    paddedMacs,
    achievedTops: microseconds > 0 ? (2 * macs) / (microseconds * 1e6) : 0,
    peakTops: peakInt8Tops(soc),
    split,
    tiles,
    bytes,
    constants: convConstants(soc),
    transData,
    placement: null,
  };
}

/**
 * A TransData (layout conversion) as a memory-bound op spread over all cores: read + write bytes
 * at the product's TransData rate [assume], plus a launch.
 */
export function transDataProfile(
  soc: SocSpec,
  name: string,
  bytesIn: number,
  bytesOut: number,
  placement: "before" | "after",
): OpProfile {
  const cores = soc.cubeCores.value;
  const perCore = (bytesIn + bytesOut) / cores;
  const mte2 = perCore / soc.transDataBytesPerCycle.value;
  const cycles = mte2 + soc.corePrologueCycles.value;
  const launch = soc.launchOverheadUs.value;
  return {
    op: "TransData",
    name: `TransData(${name})`,
    soc: soc.name,
    cycles,
    microseconds: cyclesToUs(soc, cycles) + launch,
    launchOverheadUs: launch,
    boundBy: "mte2",
    units: { cube: 0, mte1: 0, mte2, fixpipe: 0 },
    macs: 0,
    paddedMacs: 0,
    achievedTops: 0,
    peakTops: peakInt8Tops(soc),
    split: null,
    tiles: null,
    bytes: { gmToL1: bytesIn, l1ToL0a: 0, l1ToL0b: 0, l0cToGm: bytesOut },
    constants: [
      used("cubeCores", soc.cubeCores),
      used("clockGHz", soc.clockGHz),
      used("transDataBytesPerCycle", soc.transDataBytesPerCycle),
      used("corePrologueCycles", soc.corePrologueCycles),
      used("launchOverheadUs", soc.launchOverheadUs),
    ],
    transData: [],
    placement,
  };
}

/** Profiles in execution order: each op's input TransData, the op, then its output TransData. */
export function flattenProfiles(profiles: readonly OpProfile[]): OpProfile[] {
  const out: OpProfile[] = [];
  for (const p of profiles) {
    const before = p.transData.filter((t) => t.placement === "before");
    const after = p.transData.filter((t) => t.placement !== "before");
    out.push(...before, { ...p, transData: [] }, ...after);
  }
  return out;
}

const fmtBytes = (b: number): string =>
  b >= 1 << 20 ? `${(b / (1 << 20)).toFixed(2)}M` : b >= 1 << 10 ? `${(b / (1 << 10)).toFixed(1)}K` : `${Math.round(b)}`;

/** A profiler-like text table (msprof style); the tags of the constants are listed below it. */
export function formatProfileTable(profiles: readonly OpProfile[]): string {
  const rows = flattenProfiles(profiles);
  const header = ["op", "soc", "us", "cycles", "bound", "cube", "mte1", "mte2", "fixpipe", "TOPS", "peak", "split b/co/m", "tiles m/k/n", "GM->L1", "L1->L0A", "L1->L0B", "L0C->GM"];
  const body = rows.map((p) => [
    p.name,
    p.soc,
    p.microseconds.toFixed(2),
    Math.round(p.cycles).toString(),
    p.boundBy,
    Math.round(p.units.cube).toString(),
    Math.round(p.units.mte1).toString(),
    Math.round(p.units.mte2).toString(),
    Math.round(p.units.fixpipe).toString(),
    p.op === "QuantConv2d" ? p.achievedTops.toFixed(2) : "-",
    p.peakTops.toFixed(1),
    p.split ? `${p.split.batch}x${p.split.cout}x${p.split.m}=${p.split.parts}` : "-",
    p.tiles ? `${p.tiles.mL0}/${p.tiles.kL0}/${p.tiles.nL0}` : "-",
    fmtBytes(p.bytes.gmToL1),
    fmtBytes(p.bytes.l1ToL0a),
    fmtBytes(p.bytes.l1ToL0b),
    fmtBytes(p.bytes.l0cToGm),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  const lines = [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...body.map(line)];
  // The constants behind the numbers, with their provenance, once per product.
  const seen = new Set<string>();
  for (const p of rows) {
    if (seen.has(p.soc)) continue;
    seen.add(p.soc);
    const consts = new Map<string, ConstantUsed>();
    for (const q of rows) if (q.soc === p.soc) for (const c of q.constants) consts.set(c.name, c);
    const text = [...consts.values()].map((c) => `${c.name}=${JSON.stringify(c.value)} [${c.tag}]`).join(", ");
    lines.push(`${p.soc} constants: ${text}`);
  }
  lines.push("tags: [doc] public Ascend docs/code, [est] third-party or derived, [assume] modelling choice");
  return lines.join("\n");
}
