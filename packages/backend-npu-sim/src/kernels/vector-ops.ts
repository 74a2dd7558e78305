// npu kernels of every non-Cube op: the reference numerics of @tsnpu/tensor (the functions the
// cpu backend registers, so the bits are the cpu's by construction) run as Vector-unit ops
// (vector-op.ts). copy, cast, cat, constant_pad_nd and resize, device-agnostic ("*") elsewhere,
// get npu kernels too: on the device they move (or interpolate) data through UB, so they cost
// time (as_strided is a view: views.ts). Casts inside an op (mixed dtypes) are part of the op:
// the reference kernels cast on the host without dispatching.

import {
  ANY_BACKEND,
  castOp,
  catOp,
  constantPadNdOp,
  copyOp,
  findKernel,
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
import { quantizeModel } from "./npu-quantize.js";

/** How each op runs on the Vector unit; every npu Vector op has a row here. */
const models: Readonly<Record<string, VectorOpModel>> = {
  add: elementwise,
  sub: elementwise,
  mul: elementwise,
  div: elementwise,
  neg: elementwise,
  abs: elementwise,
  relu: elementwise,
  clamp: elementwise,
  exp: elementwise,
  sigmoid: elementwise,
  tanh: elementwise,
  sqrt: elementwise,
  hardswish: elementwise,
  hardsigmoid: elementwise,
  leaky_relu: elementwise,
  pow: elementwise,
  prelu: elementwise,
  eq: elementwise,
  where: elementwise,
  isclose: elementwise,
  cast: elementwise,
  sum: reduction,
  mean: reduction,
  amax: reduction,
  amin: reduction,
  argmax: reduction,
  softmax: reduction,
  max_pool2d: pooling,
  avg_pool2d: pooling,
  resize: model("any", "compute"),
  copy: dataMove,
  cat: dataMove,
  constant_pad_nd: dataMove,
  npu_quantize: quantizeModel,
};

function modelOf(op: AnyOpDef): VectorOpModel {
  const m = models[op.name];
  if (!m) throw new Error(`npu: no Vector model for op "${op.name}"`);
  return m;
}

for (const { op, kernel } of referenceKernels) registerVectorOp(op, kernel, modelOf(op));
// The device-agnostic kernels that move or compute data (npu_trans_quant_param is a host-side
// scale conversion, not a device op).
for (const op of [copyOp, castOp, catOp, constantPadNdOp, resizeOp] as AnyOpDef[]) {
  const deviceAgnostic = findKernel(op.name, ANY_BACKEND);
  if (deviceAgnostic) registerVectorOp(op, deviceAgnostic, modelOf(op));
}
