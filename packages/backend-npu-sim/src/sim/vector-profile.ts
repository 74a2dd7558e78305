// The profile record of a Vector op (docs/semantics/npu-sim.md section 7): its cost from
// vector.ts, the bytes it moved between GM and UB, and the tagged constants behind the numbers.

import type { SocSpec } from "./soc.js";
import { noCubeWork, used, type OpProfile } from "./profile.js";
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
  "launchOverheadUs",
] as const satisfies readonly (keyof SocSpec)[];

/** The profile of the Vector op `op` doing `work` on `soc`. */
export function vectorOpProfile(soc: SocSpec, op: string, work: VectorWork): OpProfile {
  const cost = vectorCost(soc, work);
  return {
    op,
    name: op,
    soc: soc.name,
    cycles: cost.cycles,
    microseconds: cost.microseconds,
    launchOverheadUs: cost.launchOverheadUs,
    boundBy: cost.boundBy,
    units: { cube: 0, mte1: 0, fixpipe: 0, ...cost.units },
    ...noCubeWork(soc),
    bytes: { gmToL1: 0, l1ToL0a: 0, l1ToL0b: 0, l0cToGm: 0 },
    constants: VECTOR_CONSTANTS.map((name) => used(name, soc[name])),
    placement: null,
    vector: {
      unit: "vector",
      ...work,
      lanes: cost.lanes,
      repeats: cost.repeats,
      cores: cost.cores,
    },
  };
}
