// The buffer planner's hand-off to kernels (buffer-plan.ts, graph.ts). While a compiled graph
// replays a node whose outputs were given places in the graph's arena, `Tensor.forOutput`
// returns those planned tensors instead of allocating: every kernel already makes its results
// with forOutput(spec.shape, spec.dtype, device), so no kernel needs to know about planning. A
// planned tensor is handed out once per node, to the first request of its dtype, shape and
// device, and never inside an op the kernel dispatches for itself (a contiguous copy of an
// input: dispatch.ts hides the offer); the graph checks afterwards that the kernel returned it
// (replay.ts copies otherwise).

import { Device, type DeviceLike } from "../device.js";
import type { DType } from "../dtype.js";
import { sameShape, type Shape } from "../shape.js";
import type { Tensor } from "../tensor.js";

/** The offer of the node being replayed (empty: hidden), or null outside replays. */
let pending: readonly (Tensor | null)[] | null = null;
/** Bit i: pending[i] was handed out. */
let taken = 0;

/** Runs `run` with `planned` (one entry per output, null: not planned) offered to forOutput. */
export function withPlannedOutputs<T>(planned: readonly (Tensor | null)[], run: () => T): T {
  const outer = pending;
  const outerTaken = taken;
  pending = planned;
  taken = 0;
  try {
    return run();
  } finally {
    pending = outer;
    taken = outerTaken;
  }
}

/** True while a replayed node's kernel runs with planned outputs offered. */
export const plannedOutputsOffered = (): boolean => pending !== null;

/** Runs `run` with no planned output offered (the kernel of an op dispatched inside a kernel). */
export const withoutPlannedOutputs = <T>(run: () => T): T => withPlannedOutputs(NONE, run);
const NONE: readonly (Tensor | null)[] = [];

/** forOutput's first step: the planned tensor for this request, or null (allocate as usual). */
export function takePlannedOutput(shape: Shape, dtype: DType, device: DeviceLike): Tensor | null {
  if (pending === null) return null;
  for (let i = 0; i < pending.length; i++) {
    const t = pending[i];
    if (!t || taken & (1 << i) || t.dtype !== dtype || !sameShape(t.shape, shape)) continue;
    if (!Device.of(device).equals(t.device)) continue;
    taken |= 1 << i;
    return t;
  }
  return null;
}
