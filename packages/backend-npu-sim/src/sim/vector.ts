// The Vector unit's cycle model (docs/semantics/npu-sim.md section 7), one function for every
// Vector op: on one vector core an op takes
//   max(elements / lanes, GM bytes in / MTE2 rate, GM bytes out / MTE3 rate) + prologue
// cycles (lanes = vector bytes per cycle / element size: 128 float16, 64 float32/int32), and
// the work splits over the vector cores in whole repeats (one repeat = one cycle's lanes), so
// the slowest core holds ceil(repeats / cores) of them [assume: an even split, like the Cube's].
// Bytes follow the repeats: a core moves its share of the op's GM traffic. Every constant is a
// tagged entry of the SoC table.

import type { SocSpec } from "./soc.js";
import type { BoundUnit } from "./cycles.js";

export type VectorBound = Extract<BoundUnit, "vector" | "mte2" | "mte3">;

/** What a Vector op does, as the cost model sees it. */
export interface VectorWork {
  /** Elements the vector unit processes (a pass over each, e.g. output cells x window for pooling). */
  readonly elements: number;
  /** Size of one element in the op's compute dtype, in bytes (sets the lanes). */
  readonly elementBytes: number;
  /** Bytes read from GM (MTE2, GM -> UB), all inputs. */
  readonly bytesIn: number;
  /** Bytes written to GM (MTE3, UB -> GM), all outputs. */
  readonly bytesOut: number;
}

export interface VectorCost {
  /** Elements per repeat (per vector cycle). */
  readonly lanes: number;
  /** ceil(elements / lanes) over the whole op. */
  readonly repeats: number;
  /** Vector cores the op runs on (at most one per repeat). */
  readonly cores: number;
  /** The slowest core's cycles per unit. */
  readonly units: { readonly vector: number; readonly mte2: number; readonly mte3: number };
  /** The slowest core: max(units) + prologue; launch overhead excluded. */
  readonly cycles: number;
  readonly boundBy: VectorBound;
  /** cycles / clock + launch overhead. */
  readonly microseconds: number;
  readonly launchOverheadUs: number;
}

/** The modelled cost of a Vector op on `soc` (see the header). */
export function vectorCost(soc: SocSpec, work: VectorWork): VectorCost {
  const lanes = Math.max(1, Math.floor(soc.vectorBytesPerCycle.value / work.elementBytes));
  const repeats = Math.ceil(work.elements / lanes);
  const cores = Math.max(1, Math.min(soc.vectorCores.value, repeats));
  const coreRepeats = Math.ceil(repeats / cores);
  // The slowest core's share of the traffic (all of it when there is no work to split).
  const share = repeats > 0 ? coreRepeats / repeats : 1;
  const units = {
    vector: coreRepeats,
    mte2: (work.bytesIn * share) / soc.gmToUbBytesPerCycle.value,
    mte3: (work.bytesOut * share) / soc.ubToGmBytesPerCycle.value,
  };
  // Ties go to the earlier unit: vector, mte2, mte3.
  let boundBy: VectorBound = "vector";
  if (units.mte2 > units[boundBy]) boundBy = "mte2";
  if (units.mte3 > units[boundBy]) boundBy = "mte3";
  const cycles = units[boundBy] + soc.vectorPrologueCycles.value;
  const launchOverheadUs = soc.launchOverheadUs.value;
  return {
    lanes,
    repeats,
    cores,
    units,
    cycles,
    boundBy,
    microseconds: cycles / (soc.clockGHz.value * 1e3) + launchOverheadUs,
    launchOverheadUs,
  };
}
