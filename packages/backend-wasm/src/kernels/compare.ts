// wasm kernels of where and eq (schemas: tensor/src/ops/compare.ts; loops in
// assembly/ops/activation.ts), bit-exact to the cpu's. where: the operands cast to the result
// dtype and broadcast, the condition broadcast, then a select of raw elements (float32 NaNs
// quieted, as the cpu's JS read does); float64 is declined: whether V8 keeps a float64 NaN's
// payload through a JS number is not something to rely on. eq: both operands cast to the
// compute dtype and broadcast, compared as floats (NaN equals nothing, -0 equals 0) or bits.

import {
  Tensor,
  bool,
  cast,
  eqOp,
  full,
  registerKernel,
  whereOp,
  type DType,
  type Scalar,
} from "@tsnpu/tensor";
import { EQ_F16, EQ_F32, EQ_F64, EQ_RAW } from "../abi.js";
import { currentRuntime } from "../backend.js";
import { addressOf, broadcastOperand, withTemps } from "./shared.js";

registerKernel(whereOp, "wasm", {
  supports: (_inputs, [spec]) => spec.dtype.name !== "float64",
  run: withTemps(({ condition, self, other }, attrs, [spec], _d, temp) => {
    const device = condition.device;
    // A JS scalar enters as the cpu makes it: a 0-d tensor of the result dtype.
    const operand = (t: Tensor | null, s: Scalar | null) =>
      broadcastOperand(t ?? temp(full([], s as Scalar, { dtype: spec.dtype, device })), spec, temp);
    const c = broadcastOperand(temp(cast(condition, bool)), { ...spec, dtype: bool }, temp);
    const a = operand(self, attrs.self);
    const b = operand(other, attrs.other);
    const out = Tensor.forOutput(spec.shape, spec.dtype, device);
    currentRuntime().where(
      spec.dtype.itemSize,
      addressOf(c),
      addressOf(a),
      addressOf(b),
      addressOf(out),
      out.numel(),
      spec.dtype.name === "float32",
    );
    return [out];
  }),
});

const eqKind = (d: DType): number =>
  d.name === "float32"
    ? EQ_F32
    : d.name === "float16"
      ? EQ_F16
      : d.name === "float64"
        ? EQ_F64
        : EQ_RAW;

registerKernel(eqOp, "wasm", {
  run: withTemps(({ self, other }, attrs, [spec], { computeDType: dtype }, temp) => {
    const device = self.device;
    const operandSpec = { shape: spec.shape, dtype };
    const a = broadcastOperand(self, operandSpec, temp);
    const b = broadcastOperand(
      other ?? temp(full([], attrs.other as Scalar, { dtype, device })),
      operandSpec,
      temp,
    );
    const out = Tensor.forOutput(spec.shape, bool, device);
    currentRuntime().equal(
      eqKind(dtype),
      dtype.itemSize,
      addressOf(a),
      addressOf(b),
      addressOf(out),
      out.numel(),
    );
    return [out];
  }),
});
