// pow and prelu: binary float ops that broadcast. pow's exponent is a tensor or a JS number
// (then inputs.exponent is null); the result dtype follows torch.result_type and must be
// float16 or float32. Every backend computes in binary64 with one algorithm (C99 pow's special
// cases, then exp(y * log|x|); y = 2 is x * x) and rounds once, so the bits agree everywhere.

import { float16, float32 } from "../dtype.js";
import { ArgumentError, describe } from "../errors.js";
import type { Scalar } from "../numerics/elements.js";
import { broadcastShapes } from "../shape.js";
import { Tensor } from "../tensor.js";
import { defineOp } from "../dispatch/op.js";
import { dispatch1 } from "../dispatch/dispatch.js";
import { expectFloatTensor } from "./activation.js";
import { expectSameDType, expectTensor } from "./checks.js";
import { expectOperand, resultType, type Operand } from "./type-promotion.js";

export interface PowAttrs {
  /** The exponent when it is a JS number (then inputs.exponent is null). */
  readonly exponent: Scalar | null;
}

export const powOp = defineOp({
  name: "pow",
  inputs: ["self", "exponent?"],
  meta: ({ self: selfArg, exponent: expArg }, a: PowAttrs) => {
    const self = expectTensor("pow", "self", selfArg);
    const exponent = expArg
      ? expectTensor("pow", "exponent", expArg)
      : expectOperand("pow", "exponent", a.exponent);
    const dtype = resultType(self, exponent);
    if (dtype !== float16 && dtype !== float32)
      throw new ArgumentError(
        "pow",
        exponent instanceof Tensor ? "exponent" : "self",
        "operands whose result type is float16 or float32 (integer pow is not supported)",
        `a ${dtype.name} result (self ${self.dtype.name}, exponent ${describe(exponent instanceof Tensor ? exponent.dtype.name : exponent)})`,
      );
    const shape =
      exponent instanceof Tensor
        ? broadcastShapes("pow", self.shape, exponent.shape, "exponent")
        : [...self.shape];
    return [{ shape, dtype }];
  },
});

/** `self ** exponent`, elementwise, broadcasting (torch.pow for float results). */
export function pow(self: Tensor, exponent: Operand): Tensor {
  const isTensor = exponent instanceof Tensor;
  return dispatch1(
    powOp,
    { self, exponent: isTensor ? exponent : null },
    { exponent: isTensor ? null : exponent },
  );
}

export const preluOp = defineOp({
  name: "prelu",
  inputs: ["self", "weight"],
  meta: ({ self: selfArg, weight: weightArg }) => {
    const self = expectFloatTensor("prelu", "self", selfArg);
    const weight = expectFloatTensor("prelu", "weight", weightArg);
    expectSameDType("prelu", "weight", weight, self, "self");
    const shape = broadcastShapes("prelu", self.shape, weight.shape, "weight");
    if (shape.length !== self.ndim || shape.some((d, i) => d !== self.shape[i]))
      throw new ArgumentError(
        "prelu",
        "weight",
        `a shape that broadcasts to self's ${describe(self.shape)}`,
        describe(weight.shape),
      );
    return [{ shape, dtype: self.dtype }];
  },
});

/**
 * `x < 0 ? weight * x : x`. The weight broadcasts to `self` by numpy's rules (ONNX PRelu); for
 * torch's per-channel weight of an NCHW tensor pass it as [C, 1, 1].
 */
export function prelu(self: Tensor, weight: Tensor): Tensor {
  return dispatch1(preluOp, { self, weight }, {});
}
