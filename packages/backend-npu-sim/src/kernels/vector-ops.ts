// npu kernels of every non-Cube op: the reference numerics of @tsnpu/tensor (the same functions
// the cpu backend registers, so the bits are the cpu's by construction) run as Vector-unit ops.
// Each call records one profile entry costed by sim/vector.ts, and on a product in float16
// saturation mode (310P) its float16 results saturate (+-65504, NaN -> 0) [doc, spec section 1].
// copy and cast, device-agnostic ("*") elsewhere, get npu kernels too: on the device they move
// data through UB (DataCopy / vconv), so they cost time; as_strided is a view and costs nothing.

import {
  ANY_BACKEND,
  Tensor,
  avgPool2dOp,
  castOp,
  copyOp,
  findKernel,
  maxPool2dOp,
  numel,
  referenceKernels,
  binaryOpNames,
  binaryOps,
  unaryOpNames,
  unaryOps,
  clampOp,
  whereOp,
  eqOp,
  type AnyKernel,
  type AnyOpDef,
  type OutputSpecs,
  type Pool2dGeometry,
} from "@tsnpu/tensor";
import { vectorCost, vectorOpCost, type VectorWork } from "../sim/index.js";
import { registerNpuKernel, type DataFormat, type NpuKernel } from "../npu-kernel.js";

type KernelArgs = Parameters<AnyKernel["run"]>;

const tensorsOf = (inputs: KernelArgs[0]): Tensor[] =>
  Object.values(inputs).filter((t): t is Tensor => t instanceof Tensor);

/**
 * The default Vector work of an op: one pass over the larger of its inputs and outputs, in the
 * widest dtype it touches [assume]; GM traffic is every input read once (a broadcast operand
 * too) and every output written once.
 */
function elementwiseWork(inputs: KernelArgs[0], outputs: OutputSpecs): VectorWork {
  const tensors = tensorsOf(inputs);
  const sized = [
    ...tensors.map((t) => ({ n: numel(t.shape), bytes: t.dtype.itemSize })),
    ...outputs.map((o) => ({ n: numel(o.shape), bytes: o.dtype.itemSize })),
  ];
  const sum = (xs: { n: number; bytes: number }[]) => xs.reduce((s, x) => s + x.n * x.bytes, 0);
  return {
    elements: Math.max(...sized.map((x) => x.n)),
    elementBytes: Math.max(...sized.map((x) => x.bytes)),
    bytesIn: sum(sized.slice(0, tensors.length)),
    bytesOut: sum(sized.slice(tensors.length)),
  };
}

/** Pooling: one vmax / vadd pass over the output per window tap [assume]. */
function poolWork(inputs: KernelArgs[0], outputs: OutputSpecs, g: unknown): VectorWork {
  const { kh, kw } = g as Pool2dGeometry;
  const work = elementwiseWork(inputs, outputs);
  return { ...work, elements: numel(outputs[0]!.shape) * kh * kw };
}

type WorkOf = (inputs: KernelArgs[0], outputs: OutputSpecs, derived: unknown) => VectorWork;

const workOverrides: ReadonlyMap<string, WorkOf> = new Map([
  [maxPool2dOp.name, poolWork],
  [avgPool2dOp.name, poolWork],
]);

/** Element-wise ops: they work in their input's format and may fuse in UB (fusion.ts). */
const elementwiseOps: ReadonlySet<string> = new Set([
  ...binaryOpNames.map((n) => binaryOps[n].name),
  ...unaryOpNames.map((n) => unaryOps[n].name),
  clampOp.name,
  whereOp.name,
  eqOp.name,
  castOp.name,
  copyOp.name,
]);

/** Pooling runs on the 5-D device format; reductions and the rest on the plain layout. */
const formatOf = (op: string): DataFormat =>
  elementwiseOps.has(op)
    ? "any"
    : op === maxPool2dOp.name || op === avgPool2dOp.name
      ? "NC1HWC0"
      : "ND";

/**
 * `kernel` as a Vector-unit op: the same results, plus the product's overflow mode; costed by
 * sim/vector.ts (registerNpuKernel records one profile entry per call, or the planned one).
 */
function onVectorUnit(op: AnyOpDef, kernel: AnyKernel, saturates: boolean): NpuKernel {
  const workOf = workOverrides.get(op.name) ?? elementwiseWork;
  return {
    label: op.name,
    unit: "Vector",
    format: formatOf(op.name),
    elementwise: elementwiseOps.has(op.name),
    ...(kernel.supports
      ? {
          declines: (inputs: KernelArgs[0], outputs: OutputSpecs) =>
            kernel.supports!(inputs, outputs)
              ? null
              : `${op.name}: these dtypes have no npu kernel`,
        }
      : {}),
    cost: (soc, c) => vectorOpCost(soc, op.name, workOf(c.inputs, c.outputs, c.derived)),
    detail: (soc, c) => {
      const work = workOf(c.inputs, c.outputs, c.derived);
      const cost = vectorCost(soc, work);
      return {
        vector: {
          unit: "vector",
          ...work,
          lanes: cost.lanes,
          repeats: cost.repeats,
          cores: cost.cores,
        },
      };
    },
    saturatesFloat16: saturates,
    run: (_soc, c) => kernel.run(c.inputs, c.attrs, c.outputs, c.derived),
  };
}

/** Ops whose float16 results follow the product's overflow mode: computations, not data moves. */
export const saturatingVectorOps: ReadonlySet<string> = new Set([
  ...referenceKernels.map(({ op }) => op.name),
  castOp.name,
]);

for (const { op, kernel } of referenceKernels)
  registerNpuKernel(op, onVectorUnit(op, kernel, true));
for (const op of [copyOp, castOp] as AnyOpDef[]) {
  const deviceAgnostic = findKernel(op.name, ANY_BACKEND);
  if (deviceAgnostic)
    registerNpuKernel(op, onVectorUnit(op, deviceAgnostic, saturatingVectorOps.has(op.name)));
}
