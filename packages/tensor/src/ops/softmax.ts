// softmax along one dim, float16 and float32. Arithmetic (docs/semantics/float-ops.md, the
// float32 accumulation rule): m = the row's max, e_i = f32(exp(f32(x_i - m))) with the shared
// binary64 exp (activation.ts), sum = f32 sequential over the row in index order, out_i =
// f32(e_i / sum), then rounded to the output dtype.

import { normalizeDim } from "../shape.js";
import type { Tensor } from "../tensor.js";
import { defineOp } from "../dispatch/op.js";
import { dispatch1 } from "../dispatch/dispatch.js";
import { expectFloatTensor } from "./activation.js";
import { ArgumentError, describe } from "../errors.js";

export interface SoftmaxAttrs {
  readonly dim: number;
}

/** The tensor seen as [outer, size, inner] around the softmax dim. */
export interface SoftmaxDerived {
  readonly outer: number;
  readonly size: number;
  readonly inner: number;
}

export const softmaxOp = defineOp({
  name: "softmax",
  inputs: ["self"],
  meta: ({ self: selfArg }, a: SoftmaxAttrs) => {
    const self = expectFloatTensor("softmax", "self", selfArg);
    if (typeof a.dim !== "number" || !Number.isInteger(a.dim))
      throw new ArgumentError("softmax", "dim", "an integer", describe(a.dim));
    const shape = self.shape;
    const d = self.ndim === 0 ? 0 : normalizeDim("softmax", a.dim, self.ndim);
    const prod = (dims: readonly number[]) => dims.reduce((x, y) => x * y, 1);
    const derived: SoftmaxDerived = {
      outer: prod(shape.slice(0, d)),
      size: self.ndim === 0 ? 1 : shape[d]!,
      inner: prod(shape.slice(d + 1)),
    };
    return { outputs: [{ shape, dtype: self.dtype }], derived };
  },
});

/** `exp(x) / sum(exp(x))` along `dim` (torch.softmax without a dtype argument). */
export function softmax(self: Tensor, dim: number): Tensor {
  return dispatch1(softmaxOp, { self }, { dim });
}
