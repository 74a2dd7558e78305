// The fusions the planner applies (spec section 7), on the planned rows of a graph, before any
// call runs. Each is a modelling choice, switchable with npu.backend({ fusion: false }):
// - Cube op + ReLU: on A2/A3 FixPipe applies the ReLU in its dequant pass over L0C [doc], so the
//   ReLU costs nothing; on 310P the vector unit applies it right after vdeq [assume]: its vector
//   cycles join the conv's, without its own launch or GM round trip.
// - element-wise chains in UB: an element-wise op that reads what the previous element-wise op
//   wrote (and nobody else reads it) runs in the same kernel when both ops' per-core working sets
//   fit in UB [assume: GE fuses element-wise chains]; only the chain's outside inputs come from
//   GM and only its last output goes back.
// The layer that carries the fused cost lists the absorbed ones in fused-with; an absorbed layer
// keeps its row with zero time and names the layer that carries it.

import {
  opProfile,
  type OpCost,
  type OpProfile,
  type PipeCycles,
  type SocSpec,
} from "./sim/index.js";

/** A planned layer, as fusion sees it. */
export interface FusionCandidate {
  readonly name: string;
  readonly op: string;
  readonly cost: OpCost;
  readonly elementwise: boolean;
  /** Index of the planned layer whose output is this layer's chained (first activation) input. */
  readonly producer: number | null;
  /** Bytes of that chained input. */
  readonly chainedBytes: number;
  /** Readers of this layer's output. */
  readonly consumers: number;
  /** Whether this layer's output leaves the graph. */
  readonly isOutput: boolean;
}

export interface FusionOptions {
  readonly cubeRelu: boolean;
  readonly elementwiseChains: boolean;
}

/** What fusion decided for layer i: carries the cost of others, or is absorbed into one. */
export interface FusionResult {
  /** Final per-layer cost (absorbed layers: null). */
  readonly costs: (OpCost | null)[];
  /** Per layer: the layers fused with it (see the file comment). */
  readonly fusedWith: string[][];
}

const CUBE_OPS = new Set(["npu_quant_conv2d", "conv2d"]);

const sumUnits = (a: PipeCycles, b: PipeCycles): PipeCycles => {
  const out: Record<string, number> = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = (out[k] ?? 0) + v;
  return out;
};

/** The ops' costs after fusion (see the file comment). */
export function fuse(
  soc: SocSpec,
  layers: readonly FusionCandidate[],
  options: FusionOptions,
): FusionResult {
  const costs: (OpCost | null)[] = layers.map((l) => l.cost);
  const fusedWith: string[][] = layers.map(() => []);
  /** For each layer absorbed into a chain: the chain's head. */
  const headOf = new Map<number, number>();
  const exclusive = (p: FusionCandidate) => p.consumers === 1 && !p.isOutput;
  layers.forEach((l, i) => {
    const p = l.producer;
    if (p === null || !exclusive(layers[p]!)) return;
    const producer = layers[p]!;
    if (options.cubeRelu && l.op === "relu" && CUBE_OPS.has(producer.op) && !headOf.has(p)) {
      const head = costs[p]!;
      costs[p] = soc.fixpipeRelu.value
        ? head
        : { ...head, units: sumUnits(head.units, { vector: l.cost.units.vector ?? 0 }) };
      costs[i] = null;
      fusedWith[p]!.push(l.name);
      fusedWith[i]!.push(producer.name);
      headOf.set(i, p);
      return;
    }
    if (!options.elementwiseChains || !l.elementwise || !producer.elementwise) return;
    const h = headOf.get(p) ?? p;
    const head = costs[h]!;
    // Both working sets per core in UB: the chain so far and this op's operands.
    const perCore = (head.bytesIn + head.bytesOut + l.cost.bytesIn + l.cost.bytesOut) / head.cores;
    if (perCore > soc.ubBytes.value) return;
    const [inRate, outRate] = [soc.gmToUbBytesPerCycle.value, soc.ubToGmBytesPerCycle.value];
    const bytesIn = head.bytesIn + l.cost.bytesIn - l.chainedBytes;
    const cores = Math.max(head.cores, l.cost.cores);
    costs[h] = {
      ...head,
      units: {
        ...sumUnits(head.units, { vector: l.cost.units.vector ?? 0 }),
        mte2: bytesIn / cores / inRate,
        mte3: l.cost.bytesOut / cores / outRate,
      },
      cores,
      bytesIn,
      bytesOut: l.cost.bytesOut,
    };
    costs[i] = null;
    fusedWith[h]!.push(l.name);
    fusedWith[i]!.push(layers[h]!.name);
    headOf.set(i, h);
  });
  return { costs, fusedWith };
}

/** An absorbed layer's row: zero time, no launch, naming the layer that carries it. */
export function absorbedRow(
  soc: SocSpec,
  cost: OpCost,
  name: string,
  into: readonly string[],
): OpProfile {
  const row = opProfile(soc, cost, name, "graph");
  return {
    ...row,
    cycles: 0,
    microseconds: 0,
    launchOverheadUs: 0,
    units: {},
    cores: 0,
    bytesIn: 0,
    bytesOut: 0,
    macs: 0,
    achievedTops: 0,
    fusedWith: into,
  };
}
