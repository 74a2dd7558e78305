// wasm kernel of matmul (schema: tensor/src/ops/matmul.ts) for float16 and float32 results.
// As on the cpu, operands are read as [...batch, rows, cols] (a 1-D operand as a row or a
// column); one whose batch has a single matrix is passed once (batch stride 0), others are
// broadcast to the full batch and made contiguous.

import { Tensor, broadcastStrides, matmulOp, numel, registerKernel } from "@tsnpu/tensor";
import { currentRuntime } from "../backend.js";
import { addressOf, dtypeCode, resultDTypeIn, withTemps, type Temp } from "./shared.js";

/**
 * `t` as contiguous [...batch, rows, cols] (`shape` its own view of that; a copy marked with
 * `temp`), and the elements between batches.
 */
function asMatrix(
  t: Tensor,
  shape: readonly number[],
  batch: readonly number[],
  asColumn: boolean,
  temp: Temp,
): [Tensor, number] {
  const strides = t.ndim > 1 ? t.strides : asColumn ? [...t.strides, 0] : [0, ...t.strides];
  const rows = shape.slice(-2);
  const m = new Tensor(t.storage, rows, strides.slice(-2), t.offset, t.dtype, t.device);
  if (numel(shape.slice(0, -2)) === 1) return [temp(m.contiguous()), 0];
  const target = [...batch, ...rows];
  const full = new Tensor(
    t.storage,
    target,
    broadcastStrides(shape, strides, target),
    t.offset,
    t.dtype,
    t.device,
  );
  return [temp(full.contiguous()), numel(rows)];
}

registerKernel(matmulOp, "wasm", {
  supports: resultDTypeIn("float32", "float16"),
  run: withTemps(({ self, other }, _attrs, [spec], { batch, n, k, m, aShape, bShape }, temp) => {
    const [a, aStride] = asMatrix(self, aShape, batch, false, temp);
    const [b, bStride] = asMatrix(other, bShape, batch, true, temp);
    const out = Tensor.forOutput(spec.shape, spec.dtype, self.device);
    currentRuntime().matmul(
      dtypeCode(spec.dtype),
      addressOf(a),
      addressOf(b),
      addressOf(out),
      numel(batch),
      n,
      k,
      m,
      aStride,
      bStride,
    );
    return [out];
  }),
});
