// The profile records of simulated ops (what msprof would report): per op its modelled time,
// bounding unit, per-unit cycles, bytes per memory level and the tagged SoC constants behind
// the numbers; TransData entries for the layout conversions around an op.

import type { QuantConv2dGeometry } from "@tsnpu/tensor";
import { peakInt8Tops, type SocSpec, type Tagged, type SourceTag } from "./soc.js";
import { CO0 } from "./layouts.js";
import { coreCost, type CoreCost, type LevelBytes } from "./cycles.js";
import { convDims, type CorePart, type CoreSplit, type L0Tiles } from "./plan.js";
import type { VectorCost, VectorWork } from "./vector.js";

export interface ConstantUsed {
  readonly name: string;
  readonly value: unknown;
  readonly tag: SourceTag;
  readonly note?: string;
}

/** The unit a layer runs on: the Cube, the Vector unit, or data movement only (TransData, views). */
export type ComputeUnit = "Cube" | "Vector" | "MTE";

/** A pipe of one core whose cycles the roofline compares. */
export type PipeUnit = "cube" | "mte1" | "mte2" | "mte3" | "fixpipe" | "vector";

/** Per-pipe cycles of the slowest core (pipes an op does not use are absent). */
export type PipeCycles = Readonly<Partial<Record<PipeUnit, number>>>;

/** eager: every op is its own launch (~10 us); graph: the graph is sunk to the device (~1 us). */
export type LaunchMode = "eager" | "graph";

/**
 * One profiled op: a row of the network profile (one per layer, plus TransData rows). Every
 * npu kernel records one (profiler.ts recordProfile); the Vector kernels build theirs with
 * vectorOpProfile, the Cube kernels with quantConv2dProfile / cubeOpProfile.
 */
export interface OpProfile {
  /** The op: "QuantConv2d", "Conv2D", "MatMul", "TransData", "Add", "ReLU", ... */
  readonly op: string;
  /** The layer: graph node / module path when known (e.g. "backbone.conv1"), else the op. */
  readonly name: string;
  readonly unit: ComputeUnit;
  readonly soc: string;
  /** Slowest core, prologue included, launch overhead excluded. */
  readonly cycles: number;
  /** cycles / clock + launch overhead. */
  readonly microseconds: number;
  readonly launchOverheadUs: number;
  readonly launch: LaunchMode;
  /** The pipe that bounds the slowest core. */
  readonly boundBy: PipeUnit;
  /** The slowest core's per-pipe cycles. */
  readonly units: PipeCycles;
  /** Cores the work was split over (one track each in the Chrome trace). */
  readonly cores: number;
  /** Bytes read from / written to GM, over all cores. */
  readonly bytesIn: number;
  readonly bytesOut: number;
  /**
   * Layers fused with this one. On the layer that carries the fused cost: the absorbed layers;
   * on an absorbed layer (cycles 0): the layer that carries it.
   */
  readonly fusedWith: readonly string[];
  /** Useful multiply-accumulates (no padding); 0 off the Cube. */
  readonly macs: number;
  /** Multiply-accumulates the Cube performs, padding of M, K and N included. */
  readonly paddedMacs: number;
  /** Achieved / peak Cube throughput (TOPS for int8, TFLOPS for float16); 0 off the Cube. */
  readonly achievedTops: number;
  readonly peakTops: number;
  /** Cube ops: the core split and L0 tiles. */
  readonly split: CoreSplit | null;
  readonly tiles: L0Tiles | null;
  /** Cube ops: bytes per memory level, summed over all cores. */
  readonly bytes: LevelBytes | null;
  readonly constants: readonly ConstantUsed[];
  /** Layout conversions done around this op, in order. */
  readonly transData: readonly OpProfile[];
  /** For a TransData: whether it runs before or after the op it serves; null for the op itself. */
  readonly placement: "before" | "after" | null;
  /** Ops on the Vector unit (section 7): what it processed and how it split. */
  readonly vector?: VectorProfile;
}

/** A Vector op's work and how it split (its per-pipe cycles are the profile's `units`). */
export interface VectorProfile extends VectorWork, Pick<VectorCost, "lanes" | "repeats" | "cores"> {
  readonly unit: "vector";
}

/** What a cost function says about one op; opProfile turns it into the recorded row. */
export interface OpCost {
  readonly op: string;
  readonly unit: ComputeUnit;
  /** The slowest core's per-pipe cycles, prologue excluded. */
  readonly units: PipeCycles;
  readonly prologueCycles: number;
  readonly cores: number;
  readonly bytesIn: number;
  readonly bytesOut: number;
  readonly macs?: number;
  readonly paddedMacs?: number;
  readonly peakTops?: number;
  readonly split?: CoreSplit | null;
  readonly tiles?: L0Tiles | null;
  readonly bytes?: LevelBytes | null;
  readonly constants: readonly ConstantUsed[];
}

export const cyclesToUs = (soc: SocSpec, cycles: number): number =>
  cycles / (soc.clockGHz.value * 1e3);

/** The pipe with the most cycles (ties go to the earlier pipe in `units`' order). */
export function boundingPipe(units: PipeCycles): { unit: PipeUnit; cycles: number } {
  let unit: PipeUnit = "vector";
  let cycles = -1;
  for (const [u, c] of Object.entries(units) as [PipeUnit, number][]) {
    if (c > cycles) {
      unit = u;
      cycles = c;
    }
  }
  return { unit, cycles: Math.max(0, cycles) };
}

/** The launch cost of one op in `mode` (spec section 7: ~1 us in a graph, ~10 us eager). */
export function launchOverheadUs(soc: SocSpec, mode: LaunchMode): number {
  return mode === "graph" ? soc.graphLaunchOverheadUs.value : soc.launchOverheadUs.value;
}

export function launchConstant(soc: SocSpec, mode: LaunchMode): ConstantUsed {
  return mode === "graph"
    ? used("graphLaunchOverheadUs", soc.graphLaunchOverheadUs)
    : used("launchOverheadUs", soc.launchOverheadUs);
}

/** A cost as a profile row: the slowest core's roofline plus its prologue, plus one launch. */
export function opProfile(
  soc: SocSpec,
  c: OpCost,
  name: string = c.op,
  mode: LaunchMode = "eager",
): OpProfile {
  const { unit: boundBy, cycles: roof } = boundingPipe(c.units);
  const cycles = roof + c.prologueCycles;
  const launch = launchOverheadUs(soc, mode);
  const microseconds = cyclesToUs(soc, cycles) + launch;
  const macs = c.macs ?? 0;
  return {
    op: c.op,
    name,
    unit: c.unit,
    soc: soc.name,
    cycles,
    microseconds,
    launchOverheadUs: launch,
    launch: mode,
    boundBy,
    units: c.units,
    cores: c.cores,
    bytesIn: c.bytesIn,
    bytesOut: c.bytesOut,
    fusedWith: [],
    macs,
    paddedMacs: c.paddedMacs ?? 0,
    achievedTops: macs > 0 && microseconds > 0 ? (2 * macs) / (microseconds * 1e6) : 0,
    peakTops: c.peakTops ?? 0,
    split: c.split ?? null,
    tiles: c.tiles ?? null,
    bytes: c.bytes ?? null,
    constants: [...c.constants, launchConstant(soc, mode)],
    transData: [],
    placement: null,
  };
}

export const used = (name: string, c: Tagged<unknown>): ConstantUsed => ({
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
  ];
}

/** The QuantConv2d cost: every part costed, the slowest core bounds the op. */
export function quantConv2dCost(
  soc: SocSpec,
  g: QuantConv2dGeometry,
  split: CoreSplit,
  tiles: L0Tiles,
  parts: readonly CorePart[],
): OpCost {
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
  return {
    op: "QuantConv2d",
    unit: "Cube",
    units: slowest ? slowest.units : { cube: 0, mte1: 0, mte2: 0, fixpipe: 0 },
    prologueCycles: slowest ? soc.corePrologueCycles.value : 0,
    cores: parts.length,
    bytesIn: bytes.gmToL1,
    bytesOut: bytes.l0cToGm,
    macs: g.n * d.m * g.cout * g.cin * g.kh * g.kw,
    paddedMacs: g.n * d.mBlocks * 16 * d.k * d.coutBlocks * CO0,
    peakTops: peakInt8Tops(soc),
    split,
    tiles,
    bytes,
    constants: convConstants(soc),
  };
}

/** The QuantConv2d profile (eager launch), with the TransData entries around it. */
export function quantConv2dProfile(
  soc: SocSpec,
  g: QuantConv2dGeometry,
  split: CoreSplit,
  tiles: L0Tiles,
  parts: readonly CorePart[],
  transData: readonly OpProfile[] = [],
): OpProfile {
  return { ...opProfile(soc, quantConv2dCost(soc, g, split, tiles, parts)), transData };
}

/**
 * A TransData (layout conversion) as a memory-bound op spread over all cores: read + write bytes
 * at the product's TransData rate [assume], plus a launch.
 */
export function transDataCost(soc: SocSpec, bytesIn: number, bytesOut: number): OpCost {
  const cores = soc.cubeCores.value;
  const perCore = (bytesIn + bytesOut) / cores;
  return {
    op: "TransData",
    unit: "MTE",
    units: { mte2: perCore / soc.transDataBytesPerCycle.value },
    prologueCycles: soc.corePrologueCycles.value,
    cores,
    bytesIn,
    bytesOut,
    peakTops: peakInt8Tops(soc),
    bytes: { gmToL1: bytesIn, l1ToL0a: 0, l1ToL0b: 0, l0cToGm: bytesOut },
    constants: [
      used("cubeCores", soc.cubeCores),
      used("clockGHz", soc.clockGHz),
      used("transDataBytesPerCycle", soc.transDataBytesPerCycle),
      used("corePrologueCycles", soc.corePrologueCycles),
    ],
  };
}

/** A TransData row named `TransData(<from>-><to>)`, before or after the op it serves. */
export function transDataProfile(
  soc: SocSpec,
  name: string,
  bytesIn: number,
  bytesOut: number,
  placement: "before" | "after",
  mode: LaunchMode = "eager",
): OpProfile {
  const label = `TransData(${name})`;
  return { ...opProfile(soc, transDataCost(soc, bytesIn, bytesOut), label, mode), placement };
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
