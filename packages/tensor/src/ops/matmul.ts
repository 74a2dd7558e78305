// matmul with torch's rules: 1-D x 1-D is a dot product (0-d result), a 1-D operand gains a
// dim of size 1 (prepended on the left, appended on the right) that the result drops, and
// leading (batch) dims broadcast. Both operands must have one numeric dtype, as in torch.
// Kernels: backend-*/src/kernels/matmul.ts.

import { bool } from "../dtype.js";
import { ArgumentError, describe } from "../errors.js";
import { broadcastShapes } from "../shape.js";
import type { Tensor } from "../tensor.js";
import { defineOp } from "../dispatch/op.js";
import { dispatch1 } from "../dispatch/dispatch.js";
import { expectTensor } from "./checks.js";

/** The batched problem behind a matmul: out[...batch, n, m] = a[...batch, n, k] @ b[...batch, k, m]. */
export interface MatmulGeometry {
  readonly batch: number[];
  readonly n: number;
  readonly k: number;
  readonly m: number;
  /** `a` / `b` viewed as [...their batch, rows, cols] (1-D operands gain their size-1 dim). */
  readonly aShape: number[];
  readonly bShape: number[];
  /** The result's shape, without the dims that 1-D operands added. */
  readonly outShape: number[];
}

function matmulGeometry(a: Tensor, b: Tensor): MatmulGeometry {
  const aShape = a.ndim === 1 ? [1, ...a.shape] : [...a.shape];
  const bShape = b.ndim === 1 ? [...b.shape, 1] : [...b.shape];
  const [n, k] = aShape.slice(-2) as [number, number];
  const [kb, m] = bShape.slice(-2) as [number, number];
  if (k !== kb) {
    throw new ArgumentError(
      "matmul",
      "other",
      `${k} rows to match self's ${k} columns (shapes ${describe(a.shape)} and ${describe(b.shape)})`,
      `${kb} rows`,
    );
  }
  const batch = broadcastShapes("matmul", aShape.slice(0, -2), bShape.slice(0, -2));
  const outShape = [...batch, ...(a.ndim === 1 ? [] : [n]), ...(b.ndim === 1 ? [] : [m])];
  return { batch, n, k, m, aShape, bShape, outShape };
}

export const matmulOp = defineOp({
  name: "matmul",
  inputs: ["self", "other"],
  meta: ({ self: selfArg, other: otherArg }) => {
    const self = expectTensor("matmul", "self", selfArg);
    const other = expectTensor("matmul", "other", otherArg);
    if (self.ndim === 0) throw new ArgumentError("matmul", "self", "at least 1-D", "a 0-d tensor");
    if (other.ndim === 0)
      throw new ArgumentError("matmul", "other", "at least 1-D", "a 0-d tensor");
    if (self.dtype === bool)
      throw new ArgumentError("matmul", "self", "a numeric tensor", describe(self));
    if (other.dtype !== self.dtype)
      throw new ArgumentError(
        "matmul",
        "other",
        `of dtype ${self.dtype.name} (the dtype of self)`,
        `dtype ${other.dtype.name}`,
      );
    const g = matmulGeometry(self, other);
    return { outputs: [{ shape: g.outShape, dtype: self.dtype }], derived: g };
  },
});

/** torch.matmul: dot, matrix-vector, matrix-matrix and broadcast batched products. */
export function matmul(self: Tensor, other: Tensor): Tensor {
  return dispatch1(matmulOp, { self, other }, {});
}
