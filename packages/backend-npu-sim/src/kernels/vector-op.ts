// The Vector-op registration every non-Cube npu kernel goes through (spec section 7): the
// kernel's numerics (the cpu's bits), the product's float16 overflow mode on its results (310P
// saturation [doc: the mode; assume: every Vector op's float16 result goes through it],
// applied by registerNpuKernel), and its cost from sim/vector.ts. The profile row's op is the
// registry name ("add", "max_pool2d"), which the network planner and fusion rules read.

import { Tensor, numel, type AnyKernel, type AnyOpDef, type Pool2dGeometry } from "@tsnpu/tensor";
import { vectorDetail, vectorOpCost, type SocSpec, type VectorWork } from "../sim/index.js";
import { registerNpuKernel, type DataFormat, type NpuCall } from "../npu-kernel.js";

/** How the model sees one op: its format, element-wise-ness, work and refusals. */
export interface VectorOpModel {
  readonly format: DataFormat;
  /** May fuse with neighbouring element-wise ops in UB. */
  readonly elementwise: boolean;
  /** Float16 results follow the product's overflow mode (computations, not data moves). */
  readonly saturates: boolean;
  /** Elements the vector unit processes; default: one pass over the largest input or output. */
  readonly elements?: (call: NpuCall) => number;
  /** The product's refusal of a call it cannot run (with the rule), or null. */
  readonly refuses?: (soc: SocSpec, call: NpuCall) => string | null;
}

export const model = (
  format: DataFormat,
  kind: "elementwise" | "compute" | "move",
): VectorOpModel => ({
  format,
  elementwise: kind === "elementwise",
  saturates: kind !== "move",
});
export const elementwise = model("any", "elementwise");
export const reduction = model("ND", "compute");
/** Data movement through UB: its float16 bits pass unchanged. */
export const dataMove = model("ND", "move");
/** Pooling works in NC1HWC0: one vmax / vadd pass over the output per window tap [assume]. */
export const pooling: VectorOpModel = {
  ...model("NC1HWC0", "compute"),
  elements: ({ outputs, derived }) => {
    const g = derived as Pool2dGeometry;
    return numel(outputs[0].shape) * g.kh * g.kw;
  },
};

/** The call's input tensors (a variadic input, e.g. cat's, counts each of its tensors). */
const tensorsOf = (call: NpuCall): Tensor[] =>
  Object.values(call.inputs as Record<string, unknown>)
    .flat()
    .filter((t): t is Tensor => t instanceof Tensor);

/**
 * The Vector work of a call: GM traffic is every input read once (a broadcast operand too) and
 * every output written once; lanes are set by the widest dtype the op touches [assume].
 */
function vectorWork(m: VectorOpModel, call: NpuCall): VectorWork {
  const sized = [
    ...tensorsOf(call).map((t) => ({ n: numel(t.shape), bytes: t.dtype.itemSize, out: false })),
    ...call.outputs.map((o) => ({ n: numel(o.shape), bytes: o.dtype.itemSize, out: true })),
  ];
  const bytes = (out: boolean) =>
    sized.filter((x) => x.out === out).reduce((s, x) => s + x.n * x.bytes, 0);
  return {
    elements: m.elements ? m.elements(call) : Math.max(...sized.map((x) => x.n)),
    elementBytes: Math.max(...sized.map((x) => x.bytes)),
    bytesIn: bytes(false),
    bytesOut: bytes(true),
  };
}

const saturating = new Set<string>();

/** Registry ops whose float16 results follow the product's overflow mode on the npu. */
export const saturatingVectorOps: ReadonlySet<string> = saturating;

/** Registers `kernel` (the op's numerics) as the npu kernel of `op` on the Vector unit. */
export function registerVectorOp(op: AnyOpDef, kernel: AnyKernel, m: VectorOpModel): void {
  if (m.saturates) saturating.add(op.name);
  const supports = kernel.supports;
  registerNpuKernel(op, {
    label: op.name,
    unit: "Vector",
    format: m.format,
    elementwise: m.elementwise,
    activationInputs: op.inputs.map((name) => name.replace(/[?*]$/, "")),
    ...(supports
      ? {
          declines: (inputs, outputs) =>
            supports(inputs, outputs) ? null : `${op.name}: these dtypes have no npu kernel`,
        }
      : {}),
    ...(m.refuses ? { refuses: m.refuses } : {}),
    cost: (soc, call) => vectorOpCost(soc, op.name, vectorWork(m, call)),
    detail: (soc, call) => vectorDetail(soc, vectorWork(m, call)),
    saturatesFloat16: m.saturates,
    run: (_soc, { inputs, attrs, outputs, derived }) => kernel.run(inputs, attrs, outputs, derived),
  });
}
