// cpu kernel of matmul (schema: tensor/src/ops/matmul.ts). Both operands are read as
// [...batch, rows, cols] (1-D operands as a row or column, batch dims broadcast), then each
// batch runs an i-p-j loop. Floats accumulate in float64 and round once on store; integers
// wrap mod 2^32 as they go (Math.imul), which the store narrows like torch; int64 uses bigints.

import {
  Tensor,
  broadcastView,
  fromNumbers,
  fromRaw,
  int64,
  matmulOp,
  numel,
  readBigInts,
  readNumbers,
  registerKernel,
} from "@tsnpu/tensor";

/** `t` as the matrix (or batch of matrices) `shape`: a 1-D `t` becomes a row or a column. */
function asMatrix(
  t: Tensor,
  shape: readonly number[],
  batch: readonly number[],
  asColumn: boolean,
): Tensor {
  const strides = t.ndim > 1 ? t.strides : asColumn ? [...t.strides, 0] : [0, ...t.strides];
  const m = new Tensor(t.storage, shape, strides, t.offset, t.dtype, t.device);
  return broadcastView(m, [...batch, ...shape.slice(-2)]);
}

registerKernel(matmulOp, "cpu", {
  run: ({ self, other }, _attrs, [spec], { batch, n, k, m, aShape, bShape }) => {
    const a = asMatrix(self, aShape, batch, false);
    const b = asMatrix(other, bShape, batch, true);
    const batches = numel(batch);
    if (spec.dtype === int64) {
      const [x, y] = [readBigInts(a), readBigInts(b)];
      const out = new BigInt64Array(batches * n * m);
      for (let t = 0; t < batches; t++) {
        for (let i = 0; i < n; i++) {
          for (let p = 0; p < k; p++) {
            const xip = x[(t * n + i) * k + p]!;
            for (let j = 0; j < m; j++)
              out[(t * n + i) * m + j] = out[(t * n + i) * m + j]! + xip * y[(t * k + p) * m + j]!;
          }
        }
      }
      return [fromRaw(out, spec, self.device)];
    }
    const [x, y] = [readNumbers(a), readNumbers(b)];
    const out = new Float64Array(batches * n * m);
    const float = spec.dtype.isFloatingPoint;
    for (let t = 0; t < batches; t++) {
      for (let i = 0; i < n; i++) {
        const row = (t * n + i) * m;
        for (let p = 0; p < k; p++) {
          const xip = x[(t * n + i) * k + p]!;
          const col = (t * k + p) * m;
          if (float) for (let j = 0; j < m; j++) out[row + j] = out[row + j]! + xip * y[col + j]!;
          else
            for (let j = 0; j < m; j++)
              out[row + j] = (out[row + j]! + Math.imul(xip, y[col + j]!)) | 0;
        }
      }
    }
    return [fromNumbers(out, spec, self.device)];
  },
});
