// wasm kernel of where (schema: tensor/src/ops/compare.ts; loop in assembly/ops/activation.ts),
// bit-exact to the cpu's: the operands cast to the result dtype and broadcast, the condition
// broadcast, then a select of raw elements (float32 NaNs quieted, as the cpu's JS read does).
// float64 is declined: whether V8 keeps a float64 NaN's payload through a JS number is not
// something to rely on.

import { Tensor, bool, cast, full, registerKernel, whereOp, type Scalar } from "@tsnpu/tensor";
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
