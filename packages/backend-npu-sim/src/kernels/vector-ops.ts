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
  float16,
  maxPool2dOp,
  numel,
  referenceKernels,
  registerKernel,
  type AnyKernel,
  type AnyOpDef,
  type OutputSpecs,
  type Pool2dGeometry,
} from "@tsnpu/tensor";
import {
  saturateFloat16Bits,
  vectorOpProfile,
  type OpProfile,
  type SocSpec,
  type VectorWork,
} from "../sim/index.js";
import { socOf } from "../devices.js";
import { recordProfile } from "../profiler.js";

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

/** Nesting depth of Vector kernels: ops a kernel dispatches internally (casts) are part of it. */
let depth = 0;

/**
 * `kernel` as a Vector-unit op: the same results, plus the product's overflow mode and a profile
 * entry. Eager calls cost the op per call; graph mode costs it once, when the node is prepared.
 */
function onVectorUnit(op: AnyOpDef, kernel: AnyKernel, saturates: boolean): AnyKernel {
  const workOf = workOverrides.get(op.name) ?? elementwiseWork;
  const profileOf = (soc: SocSpec, [inputs, , outputs, derived]: KernelArgs) =>
    vectorOpProfile(soc, op.name, workOf(inputs, outputs, derived));
  const costed =
    (prepared: OpProfile | null): AnyKernel["run"] =>
    (...args) => {
      if (depth > 0) return kernel.run(...args);
      depth++;
      let results: Tensor[];
      try {
        results = kernel.run(...args);
      } finally {
        depth--;
      }
      const soc = socOf(results[0]!.device);
      if (saturates && soc.fp16Overflow.value === "saturate") {
        for (const t of results) if (t.dtype === float16) saturateInPlace(t);
      }
      recordProfile(prepared ?? profileOf(soc, args));
      return results;
    };
  return {
    run: costed(null),
    prepare: (...args) => costed(profileOf(socOf(tensorsOf(args[0])[0]!.device), args)),
    ...(kernel.supports ? { supports: kernel.supports } : {}),
  };
}

/** Float16 saturation mode on a fresh contiguous result. */
function saturateInPlace(t: Tensor): void {
  const bits = t.storage.data as Uint16Array;
  for (let i = 0; i < bits.length; i++) bits[i] = saturateFloat16Bits(bits[i]!);
}

/** Ops whose float16 results follow the product's overflow mode: computations, not data moves. */
export const saturatingVectorOps: ReadonlySet<string> = new Set([
  ...referenceKernels.map(({ op }) => op.name),
  castOp.name,
]);

for (const { op, kernel } of referenceKernels)
  registerKernel(op, "npu", onVectorUnit(op, kernel, true));
for (const op of [copyOp, castOp] as AnyOpDef[]) {
  const deviceAgnostic = findKernel(op.name, ANY_BACKEND);
  if (deviceAgnostic)
    registerKernel(op, "npu", onVectorUnit(op, deviceAgnostic, saturatingVectorOps.has(op.name)));
}
