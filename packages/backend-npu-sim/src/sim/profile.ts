// The profile records of simulated ops (what msprof would report): per op its modelled time,
// bounding unit, per-unit cycles, bytes per memory level and the tagged SoC constants behind
// the numbers; TransData entries for the layout conversions around an op.

import type { QuantConv2dGeometry } from "@tsnpu/tensor";
import { peakInt8Tops, type SocSpec, type Tagged, type SourceTag } from "./soc.js";
import { CO0 } from "./layouts.js";
import {
  coreCost,
  type BoundUnit,
  type CoreCost,
  type LevelBytes,
  type UnitCycles,
} from "./cycles.js";
import { convDims, type CorePart, type CoreSplit, type L0Tiles } from "./plan.js";

export interface ConstantUsed {
  readonly name: string;
  readonly value: unknown;
  readonly tag: SourceTag;
  readonly note?: string;
}

export interface OpProfile {
  readonly op: "QuantConv2d" | "TransData" | "npu_quantize";
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

const used = (name: string, c: Tagged<unknown>): ConstantUsed => ({
  name,
  value: c.value,
  tag: c.tag,
  ...(c.note ? { note: c.note } : {}),
});

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
