// The profile record of a Vector op (docs/semantics/npu-sim.md section 7): its cost from
// vector.ts as an OpCost, the bytes it moved between GM and UB, and the tagged constants behind
// the numbers.

import type { SocSpec } from "./soc.js";
import { opProfile, used, type LaunchMode, type OpCost, type OpProfile } from "./profile.js";
import { vectorCost, type VectorWork } from "./vector.js";

/** The SoC constants behind a Vector op's cost, listed with their tags in its profile. */
const VECTOR_CONSTANTS = [
  "coreLayout",
  "vectorCores",
  "clockGHz",
  "ubBytes",
  "vectorBytesPerCycle",
  "gmToUbBytesPerCycle",
  "ubToGmBytesPerCycle",
  "vectorPrologueCycles",
] as const satisfies readonly (keyof SocSpec)[];

/** The Vector op `op` doing `work` on `soc`, as a cost (the planner fuses these). */
export function vectorOpCost(soc: SocSpec, op: string, work: VectorWork): OpCost {
  const cost = vectorCost(soc, work);
  return {
    op,
    unit: "Vector",
    units: cost.units,
    prologueCycles: soc.vectorPrologueCycles.value,
    cores: cost.cores,
    bytesIn: work.bytesIn,
    bytesOut: work.bytesOut,
    constants: VECTOR_CONSTANTS.map((name) => used(name, soc[name])),
  };
}

/** The profile of the Vector op `op` doing `work` on `soc` (eager launch unless `mode` says). */
export function vectorOpProfile(
  soc: SocSpec,
  op: string,
  work: VectorWork,
  name: string = op,
  mode: LaunchMode = "eager",
): OpProfile {
  const cost = vectorCost(soc, work);
  return {
    ...opProfile(soc, vectorOpCost(soc, op, work), name, mode),
    vector: {
      unit: "vector",
      ...work,
      lanes: cost.lanes,
      repeats: cost.repeats,
      cores: cost.cores,
    },
  };
}
