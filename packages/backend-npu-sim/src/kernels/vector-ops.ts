// npu kernels of every non-Cube op: the reference numerics of @tsnpu/tensor (the functions the
// cpu backend registers, so the bits are the cpu's by construction) run as Vector-unit ops,
// costed by sim/profile.ts vectorCost (spec section 7). On a product in float16 saturation mode
// (310P) their float16 results saturate (+-65504, NaN -> 0) [doc: the mode; assume: every Vector
// op's result goes through it]. copy, cast, cat, constant_pad_nd and resize, device-agnostic
// ("*") elsewhere, get npu kernels too: on the device they move (or interpolate) data through
// UB, so they cost time; as_strided is a view and costs nothing. Casts inside an op (mixed dtypes) are part of the op:
// the reference kernels cast on the host without dispatching.

import {
  ANY_BACKEND,
  Tensor,
  avgPool2dOp,
  castOp,
  catOp,
  constantPadNdOp,
  copyOp,
  findKernel,
  float16,
  maxPool2dOp,
  numel,
  referenceKernels,
  resizeOp,
  type AnyKernel,
  type AnyOpDef,
  type Pool2dGeometry,
} from "@tsnpu/tensor";
import { saturateFloat16Bits, vectorCost, type SocSpec, type VectorWork } from "../sim/index.js";
import { registerNpuKernel, type DataFormat, type NpuCall } from "../npu-kernel.js";

/** How the model sees one op: its CANN name, format, element-wise-ness and work. */
interface VectorOpModel {
  readonly label: string;
  readonly format: DataFormat;
  /** May fuse with neighbouring element-wise ops in UB. */
  readonly elementwise: boolean;
  /** Elements the vector unit processes; default: one pass over the largest input or output. */
  readonly elements?: (call: NpuCall) => number;
  /** Float16 results follow the product's overflow mode (computations, not data moves). */
  readonly saturates: boolean;
}

const model = (
  label: string,
  format: DataFormat,
  kind: "elementwise" | "compute" | "move",
): VectorOpModel => ({
  label,
  format,
  elementwise: kind === "elementwise",
  saturates: kind !== "move",
});
const elementwise = (label: string) => model(label, "any", "elementwise");
const reduction = (label: string) => model(label, "ND", "compute");
/** Data movement through UB: its float16 bits pass unchanged. */
const dataMove = (label: string) => model(label, "ND", "move");
/** Pooling: one vmax / vadd pass over the output per window tap [assume]. */
const pooling = (label: string): VectorOpModel => ({
  ...model(label, "NC1HWC0", "compute"),
  elements: ({ outputs, derived }) => {
    const g = derived as Pool2dGeometry;
    return numel(outputs[0].shape) * g.kh * g.kw;
  },
});

/** The CANN op each registry op is on the device (the profile's op names). */
const models: Readonly<Record<string, VectorOpModel>> = {
  add: elementwise("Add"),
  sub: elementwise("Sub"),
  mul: elementwise("Mul"),
  div: elementwise("RealDiv"),
  neg: elementwise("Neg"),
  abs: elementwise("Abs"),
  relu: elementwise("Relu"),
  clamp: elementwise("ClipByValue"),
  eq: elementwise("Equal"),
  where: elementwise("Select"),
  isclose: elementwise("IsClose"),
  cast: elementwise("Cast"),
  sum: reduction("ReduceSum"),
  mean: reduction("ReduceMean"),
  amax: reduction("ReduceMax"),
  amin: reduction("ReduceMin"),
  argmax: reduction("ArgMaxV2"),
  exp: elementwise("Exp"),
  sigmoid: elementwise("Sigmoid"),
  tanh: elementwise("Tanh"),
  sqrt: elementwise("Sqrt"),
  hardswish: elementwise("HardSwish"),
  hardsigmoid: elementwise("HardSigmoid"),
  leaky_relu: elementwise("LeakyRelu"),
  pow: elementwise("Pow"),
  prelu: elementwise("PRelu"),
  softmax: reduction("SoftmaxV2"),
  resize: model("Resize", "any", "compute"),
  copy: dataMove("ViewCopy"),
  cat: dataMove("ConcatD"),
  constant_pad_nd: dataMove("PadV3"),
  [maxPool2dOp.name]: pooling("MaxPool"),
  [avgPool2dOp.name]: pooling("AvgPool"),
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
function vectorWork(model: VectorOpModel, call: NpuCall): VectorWork {
  const sized = [
    ...tensorsOf(call).map((t) => ({ n: numel(t.shape), bytes: t.dtype.itemSize, out: false })),
    ...call.outputs.map((o) => ({ n: numel(o.shape), bytes: o.dtype.itemSize, out: true })),
  ];
  const bytes = (out: boolean) =>
    sized.filter((x) => x.out === out).reduce((s, x) => s + x.n * x.bytes, 0);
  const largest = Math.max(...sized.map((x) => x.n));
  return {
    op: model.label,
    elements: model.elements ? model.elements(call) : largest,
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

function registerVectorOp(op: AnyOpDef, kernel: AnyKernel): void {
  const model = models[op.name];
  if (!model) throw new Error(`npu: no Vector model for op "${op.name}"`);
  registerNpuKernel(op, {
    label: model.label,
    unit: "Vector",
    format: model.format,
    elementwise: model.elementwise,
    activationInputs: op.inputs.map((name) => name.replace(/[?*]$/, "")),
    cost: (soc, call) => vectorCost(soc, vectorWork(model, call)),
    run: (soc, { inputs, attrs, outputs, derived }) => {
      const results = kernel.run(inputs, attrs, outputs, derived);
      return model.saturates ? applyOverflowMode(soc, results) : results;
    },
  });
}

/** Registry ops whose float16 results follow the product's overflow mode on the npu. */
export const saturatingVectorOps: ReadonlySet<string> = new Set(
  Object.keys(models).filter((name) => models[name]!.saturates),
);

for (const { op, kernel } of referenceKernels) registerVectorOp(op, kernel);
// The device-agnostic kernels that move or compute data (as_strided and npu_trans_quant_param
// do neither on the device: a view, and a host-side scale conversion).
for (const op of [copyOp, castOp, catOp, constantPadNdOp, resizeOp] as AnyOpDef[]) {
  const deviceAgnostic = findKernel(op.name, ANY_BACKEND);
  if (deviceAgnostic) registerVectorOp(op, deviceAgnostic);
}
