// One way to register an npu kernel: the numerics (`run`), the cost (`cost`, an OpCost of
// sim/profile.ts), the data format it works in, and what the device declines or the product
// refuses. registerNpuKernel turns that into the registry's kernel:
// - eager: refusal check, run, and (when a profile is being collected) one row per call with
//   the eager launch overhead and, for NC1HWC0 ops, TransData in and out;
// - graph mode: `prepare` finds the node's plan, made once by the backend's checkGraph
//   (network-plan.ts: formats, TransData, fusions, costs, graph launch), and each replay runs
//   the numerics and records the planned rows; it plans nothing.
// The planner reads the same registration (npuKernelOf) to cost, fuse and refuse whole graphs.

import {
  Tensor,
  UnsupportedError,
  currentLayer,
  float16,
  numel,
  registerKernel,
  type KernelInputs,
  type OpDef,
  type OutputSpecs,
} from "@tsnpu/tensor";
import {
  opProfile,
  saturateFloat16Bits,
  transDataProfile,
  type ComputeUnit,
  type OpCost,
  type OpProfile,
  type SocSpec,
} from "./sim/index.js";
import { socOf } from "./devices.js";
import { profiling, recordProfile } from "./profiler.js";

/**
 * The layout an op reads and writes (spec section 7). "NC1HWC0": the 5-D device format (Cube
 * ops, pooling); "ND": the plain row-major layout (reshape, transpose, concat, softmax, matmul);
 * "any": element-wise, works in whatever format its input has.
 */
export type DataFormat = "NC1HWC0" | "ND" | "any";

/** One call of an op, as the kernel, the cost model and the planner see it. */
export interface NpuCall<
  N extends readonly string[] = readonly string[],
  A = unknown,
  D = unknown,
> {
  readonly inputs: KernelInputs<N>;
  readonly attrs: A;
  readonly outputs: OutputSpecs;
  readonly derived: D;
}

/** The NpuCall of an op handle's type. */
export type NpuCallOf<O> = O extends OpDef<infer N, infer A, infer D> ? NpuCall<N, A, D> : never;

export interface NpuKernel<
  N extends readonly string[] = readonly string[],
  A = unknown,
  D = unknown,
> {
  /** The op's name in the profile ("Conv2D", "MatMul", "Add", "MaxPool"). */
  readonly label: string | ((call: NpuCall<N, A, D>) => string);
  readonly unit: ComputeUnit;
  readonly format: DataFormat;
  /** The inputs that carry activations in `format` (default: the first declared input). */
  readonly activationInputs?: readonly string[];
  /** Element-wise: may be fused with a neighbouring element-wise op in UB (fusion.ts). */
  readonly elementwise?: boolean;
  /**
   * Calls the device does not run (e.g. a dtype): the reason, or null. Eager calls it declines
   * take the no-kernel path (fallback or KernelNotFoundError); a network lists it in its refusal.
   */
  readonly declines?: (inputs: KernelInputs<N>, outputs: OutputSpecs) => string | null;
  /** The product's refusal of a shape it cannot run, with the rule: null when it runs. */
  readonly refuses?: (soc: SocSpec, call: NpuCall<N, A, D>) => string | null;
  /** The modelled cost of the call on `soc` (sections 5 and 7). */
  readonly cost: (soc: SocSpec, call: NpuCall<N, A, D>) => OpCost;
  /**
   * float16 results follow the product's overflow mode (310P saturation), applied by the
   * registration to the outermost call's results (ops a kernel dispatches internally are part
   * of it). Kernels that round themselves (the Cube's) leave this unset.
   */
  readonly saturatesFloat16?: boolean;
  /** Computes the outputs: the cpu's bits (the product's overflow mode on `soc`). */
  readonly run: (soc: SocSpec, call: NpuCall<N, A, D>) => Tensor[];
  /**
   * Graph mode: the per-graph work done once (weights to FRACTAL_Z, tiles); returns the run to
   * replay. Default: `run`.
   */
  readonly prepare?: (
    soc: SocSpec,
    call: NpuCall<N, A, D>,
  ) => (soc: SocSpec, call: NpuCall<N, A, D>) => Tensor[];
  /** Extra fields of the call's profile row (e.g. a Vector op's work and split). */
  readonly detail?: (soc: SocSpec, call: NpuCall<N, A, D>) => Partial<OpProfile>;
  /** Eager only: extra TransData rows of this call (e.g. a weight converted per call). */
  readonly eagerTransData?: (soc: SocSpec, call: NpuCall<N, A, D>) => OpProfile[];
}

export type AnyNpuKernel = NpuKernel<readonly string[], unknown, unknown>;

/** Nesting depth of npu kernels: ops a kernel dispatches internally (casts) are part of it. */
let depth = 0;

function nested<T>(fn: () => T): T {
  depth++;
  try {
    return fn();
  } finally {
    depth--;
  }
}

const npuKernels = new Map<string, AnyNpuKernel>();

/** The npu registration of an op (for the planner), or undefined. */
export function npuKernelOf(opName: string): AnyNpuKernel | undefined {
  return npuKernels.get(opName);
}

export function labelOf(k: AnyNpuKernel, call: NpuCall): string {
  return typeof k.label === "string" ? k.label : k.label(call);
}

/** What the graph planner decided for one node (network-plan.ts). */
export interface NodePlan {
  readonly soc: SocSpec;
  /** The node's row (fusion applied), its TransData rows nested (placement before / after). */
  readonly row: OpProfile;
}

/** Node plans by the node's inputs object, which Graph.trace hands to `prepare` unchanged. */
const nodePlans = new WeakMap<object, NodePlan>();

export function setNodePlan(nodeInputs: object, plan: NodePlan): void {
  nodePlans.set(nodeInputs, plan);
}

/** Saturation mode [doc] (Atlas inference series) on a fresh contiguous float16 result. */
function saturateFloat16InPlace(t: Tensor): void {
  const bits = t.storage.data as Uint16Array;
  for (let i = 0; i < bits.length; i++) bits[i] = saturateFloat16Bits(bits[i]!);
}

const activations = (k: AnyNpuKernel, call: NpuCall): Tensor[] => {
  const names = k.activationInputs ?? [Object.keys(call.inputs)[0]!];
  return names
    .map((n) => (call.inputs as Record<string, Tensor | null>)[n])
    .filter((t): t is Tensor => !!t);
};

/** Eager rows: the op, with TransData NCHW <-> NC1HWC0 around a 5-D op (host tensors are NCHW). */
function eagerRows(soc: SocSpec, k: AnyNpuKernel, call: NpuCall, name: string): OpProfile {
  const row = {
    ...opProfile(soc, { ...k.cost(soc, call), op: labelOf(k, call) }, name, "eager"),
    ...k.detail?.(soc, call),
  };
  const extra = k.eagerTransData?.(soc, call) ?? [];
  if (k.format !== "NC1HWC0") return { ...row, transData: extra };
  const before = activations(k, call).map((t) => {
    const bytes = numel(t.shape) * t.dtype.itemSize;
    return transDataProfile(soc, "NCHW->NC1HWC0", bytes, bytes, "before");
  });
  const out = call.outputs[0];
  const outBytes = numel(out.shape) * out.dtype.itemSize;
  const after = transDataProfile(soc, "NC1HWC0->NCHW", outBytes, outBytes, "after");
  return { ...row, transData: [...extra, ...before, after] };
}

/** Registers `k` as the npu kernel of `op` (eager and graph mode, see the file comment). */
export function registerNpuKernel<const N extends readonly string[], A, D>(
  op: OpDef<N, A, D>,
  k: NpuKernel<N, A, D>,
): void {
  const any = k as unknown as AnyNpuKernel;
  npuKernels.set(op.name, any);
  const deviceOf = (call: NpuCall) =>
    activations(any, call)[0]?.device ??
    Object.values(call.inputs).find((t): t is Tensor => t instanceof Tensor)!.device;
  const finish = (soc: SocSpec, outs: Tensor[]): Tensor[] => {
    if (k.saturatesFloat16 && soc.fp16Overflow.value === "saturate")
      for (const t of outs) if (t.dtype === float16) saturateFloat16InPlace(t);
    return outs;
  };
  registerKernel(op, "npu", {
    supports: (inputs, outputs) => !k.declines?.(inputs, outputs),
    run: (inputs, attrs, outputs, derived) => {
      const call = { inputs, attrs, outputs, derived };
      const soc = socOf(deviceOf(call as NpuCall));
      const refusal = k.refuses?.(soc, call);
      if (refusal) throw new UnsupportedError(refusal);
      if (depth > 0) return k.run(soc, call);
      const outs = finish(
        soc,
        nested(() => k.run(soc, call)),
      );
      if (profiling()) {
        const name = currentLayer() ?? labelOf(any, call as NpuCall);
        recordProfile(eagerRows(soc, any, call as NpuCall, name));
      }
      return outs;
    },
    prepare: (inputs, attrs, outputs, derived) => {
      const plan = nodePlans.get(inputs);
      const prepareCall = { inputs, attrs, outputs, derived };
      const soc = plan?.soc ?? socOf(deviceOf(prepareCall as NpuCall));
      const run = k.prepare ? k.prepare(soc, prepareCall) : k.run;
      return (inputs2, attrs2, outputs2, derived2) => {
        const call = { inputs: inputs2, attrs: attrs2, outputs: outputs2, derived: derived2 };
        const outs = finish(
          soc,
          nested(() => run(soc, call)),
        );
        if (plan && profiling()) recordProfile(plan.row);
        return outs;
      };
    },
  });
}
