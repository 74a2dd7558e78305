// A reference kernel: an op's numerics as one backend-neutral function over host-visible storage.
// The cpu backend registers them as its kernels; the simulated npu runs the same functions (and
// adds its cost model), so both return the same bits by construction.

import type { AnyOpDef, OpDef } from "../dispatch/op.js";
import type { AnyKernel, Kernel } from "../dispatch/registry.js";

export interface ReferenceKernel {
  readonly op: AnyOpDef;
  readonly kernel: AnyKernel;
}

/** Pairs an op handle with its reference kernel (typed by the op, stored untyped like the registry). */
export function referenceKernel<const N extends readonly string[], A, D>(
  op: OpDef<N, A, D>,
  kernel: Kernel<N, A, D>,
): ReferenceKernel {
  return { op: op as unknown as AnyOpDef, kernel: kernel as unknown as AnyKernel };
}
