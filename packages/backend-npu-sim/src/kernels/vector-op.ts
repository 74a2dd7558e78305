// The Vector-op registration every non-Cube npu kernel goes through (spec section 7): the
// kernel's numerics (the cpu's bits), the product's float16 overflow mode on its results (310P
// saturation [doc: the mode; assume: every Vector op's float16 result goes through it]), and
// its cost from sim/profile.ts vectorCost, registered with registerNpuKernel.

import {
  Tensor,
  float16,
  numel,
  type AnyKernel,
  type AnyOpDef,
  type Pool2dGeometry,
} from "@tsnpu/tensor";
import { saturateFloat16Bits, vectorCost, type SocSpec, type VectorWork } from "../sim/index.js";
import { registerNpuKernel, type DataFormat, type NpuCall } from "../npu-kernel.js";

/** How the model sees one op: its CANN name, format, element-wise-ness and work. */
export interface VectorOpModel {
  readonly label: string;
  readonly format: DataFormat;
  /** May fuse with neighbouring element-wise ops in UB. */
  readonly elementwise: boolean;
  /** Elements the vector unit processes; default: one pass over the largest input or output. */
  readonly elements?: (call: NpuCall) => number;
  /** Float16 results follow the product's overflow mode (computations, not data moves). */
  readonly saturates: boolean;
  /** The product's refusal of a call it cannot run (with the rule), or null. */
  readonly refuses?: (soc: SocSpec, call: NpuCall) => string | null;
}

export const model = (
  label: string,
  format: DataFormat,
  kind: "elementwise" | "compute" | "move",
): VectorOpModel => ({
  label,
  format,
  elementwise: kind === "elementwise",
  saturates: kind !== "move",
});
export const elementwise = (label: string) => model(label, "any", "elementwise");
export const reduction = (label: string) => model(label, "ND", "compute");
/** Data movement through UB: its float16 bits pass unchanged. */
export const dataMove = (label: string) => model(label, "ND", "move");
/** Pooling: one vmax / vadd pass over the output per window tap [assume]. */
export const pooling = (label: string): VectorOpModel => ({
  ...model(label, "NC1HWC0", "compute"),
  elements: ({ outputs, derived }) => {
    const g = derived as Pool2dGeometry;
    return numel(outputs[0].shape) * g.kh * g.kw;
  },
});

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
  const largest = Math.max(...sized.map((x) => x.n));
  return {
    op: m.label,
    elements: m.elements ? m.elements(call) : largest,
    laneBytes: Math.max(...sized.map((x) => x.bytes)),
    bytesIn: bytes(false),
    bytesOut: bytes(true),
  };
}

/** Float16 saturation mode on fresh contiguous results. */
function applyOverflowMode(soc: SocSpec, results: Tensor[]): Tensor[] {
  if (soc.fp16Overflow.value !== "saturate") return results;
  for (const t of results) {
    if (t.dtype !== float16) continue;
    const bits = t.storage.data as Uint16Array;
    for (let i = 0; i < bits.length; i++) bits[i] = saturateFloat16Bits(bits[i]!);
  }
  return results;
}

const saturating = new Set<string>();

/** Registry ops whose float16 results follow the product's overflow mode on the npu. */
export const saturatingVectorOps: ReadonlySet<string> = saturating;

/** Registers `kernel` (the op's numerics) as the npu kernel of `op` on the Vector unit. */
export function registerVectorOp(op: AnyOpDef, kernel: AnyKernel, m: VectorOpModel): void {
  if (m.saturates) saturating.add(op.name);
  registerNpuKernel(op, {
    label: m.label,
    unit: "Vector",
    format: m.format,
    elementwise: m.elementwise,
    activationInputs: op.inputs.map((name) => name.replace(/[?*]$/, "")),
    ...(m.refuses ? { refuses: m.refuses } : {}),
    cost: (soc, call) => vectorCost(soc, vectorWork(m, call)),
    run: (soc, { inputs, attrs, outputs, derived }) => {
      const results = kernel.run(inputs, attrs, outputs, derived);
      return m.saturates ? applyOverflowMode(soc, results) : results;
    },
  });
}
