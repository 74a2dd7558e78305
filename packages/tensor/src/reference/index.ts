// The reference numerics of the non-Cube ops (elementwise, compare, reductions, pooling): the
// cpu backend's kernels, shared with the simulated npu's Vector unit (docs/architecture.md).
import type { ReferenceKernel } from "./kernel.js";
import { compareKernels } from "./compare.js";
import { elementwiseKernels } from "./elementwise.js";
import { pool2dKernels } from "./pool2d.js";
import { reductionKernels } from "./reduction.js";

export { referenceKernel, type ReferenceKernel } from "./kernel.js";
export * from "./values.js";

/** Every reference kernel, one per op. */
export const referenceKernels: readonly ReferenceKernel[] = [
  ...elementwiseKernels,
  ...compareKernels,
  ...reductionKernels,
  ...pool2dKernels,
];
