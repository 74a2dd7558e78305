// npu kernel of matmul (schema: tensor/src/ops/matmul.ts): float16 matrix products (Gemm and
// MatMul heads) on the Cube (sim/cube.ts, spec section 7). Other dtypes are declined.

import { Tensor, float16, matmulOp, numel } from "@tsnpu/tensor";
import {
  cubeCost,
  matmulCubeWork,
  simulateMatmulFloat16,
  widenFloat16ToDouble,
} from "../sim/index.js";
import { registerNpuKernel, type NpuCallOf } from "../npu-kernel.js";

type MatmulCall = NpuCallOf<typeof matmulOp>;

/** `t` viewed as `shape` (its own batch dims, rows, cols) broadcast to the call's batch. */
function operand(t: Tensor, shape: readonly number[], batch: readonly number[], asColumn: boolean) {
  const strides = t.ndim > 1 ? t.strides : asColumn ? [...t.strides, 0] : [0, ...t.strides];
  const full = [...batch, ...shape.slice(-2)];
  const lead = full.length - shape.length;
  const fullStrides = full.map((d, i) => {
    const j = i - lead;
    return j < 0 || (shape[j] === 1 && d !== 1) ? 0 : strides[j]!;
  });
  return new Tensor(t.storage, full, fullStrides, t.offset, t.dtype, t.device);
}

const batchOf = (shape: readonly number[]) => numel(shape.slice(0, -2));

function multiply(soc: import("../sim/index.js").SocSpec, call: MatmulCall): Tensor[] {
  const { self, other } = call.inputs;
  const g = call.derived;
  const spec = call.outputs[0];
  const a = widenFloat16ToDouble(
    operand(self, g.aShape, g.batch, false).toTypedArray() as Uint16Array,
  );
  const b = widenFloat16ToDouble(
    operand(other, g.bShape, g.batch, true).toTypedArray() as Uint16Array,
  );
  const out = Tensor.empty(spec.shape, spec.dtype, self.device);
  simulateMatmulFloat16(
    a,
    b,
    numel(g.batch),
    g.n,
    g.k,
    g.m,
    g.n * g.k,
    g.k * g.m,
    out.storage.data as Uint16Array,
    soc.fp16Overflow.value === "saturate",
  );
  return [out];
}

registerNpuKernel(matmulOp, {
  label: "MatMul",
  unit: "Cube",
  format: "ND",
  activationInputs: ["self"],
  declines: (_inputs, [spec]) =>
    spec.dtype === float16
      ? null
      : `matmul in ${spec.dtype.name}: the simulated Cube runs float16 matrix products only (spec section 7)`,
  cost: (soc, call) =>
    cubeCost(
      soc,
      matmulCubeWork(call.derived, batchOf(call.derived.aShape), batchOf(call.derived.bShape)),
    ),
  run: multiply,
});
