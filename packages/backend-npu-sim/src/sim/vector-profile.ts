// The profile record of a Vector op (docs/semantics/npu-sim.md section 7): its cost from
// vector.ts, the bytes it moved between GM and UB, and the tagged constants behind the numbers.

import { peakInt8Tops, type SocSpec } from "./soc.js";
import { used, type OpProfile } from "./profile.js";
import { vectorCost, type VectorWork } from "./vector.js";

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
    macs: 0,
    paddedMacs: 0,
    achievedTops: 0,
    peakTops: peakInt8Tops(soc),
    split: null,
    tiles: null,
    bytes: { gmToL1: 0, l1ToL0a: 0, l1ToL0b: 0, l0cToGm: 0 },
    constants: [
      used("coreLayout", soc.coreLayout),
      used("vectorCores", soc.vectorCores),
      used("clockGHz", soc.clockGHz),
      used("ubBytes", soc.ubBytes),
      used("vectorBytesPerCycle", soc.vectorBytesPerCycle),
      used("gmToUbBytesPerCycle", soc.gmToUbBytesPerCycle),
      used("ubToGmBytesPerCycle", soc.ubToGmBytesPerCycle),
      used("vectorPrologueCycles", soc.vectorPrologueCycles),
      used("launchOverheadUs", soc.launchOverheadUs),
    ],
    transData: [],
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
