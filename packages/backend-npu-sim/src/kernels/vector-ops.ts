// npu kernels of every non-Cube op: the reference numerics of @tsnpu/tensor (the functions the
// cpu backend registers, so the bits are the cpu's by construction) run as Vector-unit ops
// (vector-op.ts). copy, cast, cat, constant_pad_nd and resize, device-agnostic ("*") elsewhere,
// get npu kernels too: on the device they move (or interpolate) data through UB, so they cost
// time; as_strided is a view and costs nothing. Casts inside an op (mixed dtypes) are part of
// the op: the reference kernels cast on the host without dispatching.

import {
  ANY_BACKEND,
  avgPool2dOp,
  castOp,
  catOp,
  constantPadNdOp,
  copyOp,
  findKernel,
  maxPool2dOp,
  referenceKernels,
  resizeOp,
  type AnyOpDef,
} from "@tsnpu/tensor";
import {
  dataMove,
  elementwise,
  model,
  pooling,
  reduction,
  registerVectorOp,
  type VectorOpModel,
} from "./vector-op.js";

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

function modelOf(op: AnyOpDef): VectorOpModel {
  const m = models[op.name];
  if (!m) throw new Error(`npu: no Vector model for op "${op.name}"`);
  return m;
}

for (const { op, kernel } of referenceKernels) registerVectorOp(op, kernel, modelOf(op));
// The device-agnostic kernels that move or compute data (as_strided and npu_trans_quant_param
// do neither on the device: a view, and a host-side scale conversion).
for (const op of [copyOp, castOp, catOp, constantPadNdOp, resizeOp] as AnyOpDef[]) {
  const deviceAgnostic = findKernel(op.name, ANY_BACKEND);
  if (deviceAgnostic) registerVectorOp(op, deviceAgnostic, modelOf(op));
}
