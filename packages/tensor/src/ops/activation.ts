// Float activations and transcendentals: exp, sigmoid, tanh, sqrt, hardswish (one op per name,
// generated from the table below), hardsigmoid and leaky_relu (with parameters). float16 and
// float32 only; the result keeps the input's dtype. Every backend computes them with the same
// binary64 algorithm (tensor/src/reference/float-math.ts, backend-wasm/assembly/ops/float-math.ts)
// and rounds once to float32 (then to float16), so their bits agree everywhere.

import { float16, float32 } from "../dtype.js";
import { ArgumentError, describe } from "../errors.js";
import type { Tensor } from "../tensor.js";
import { defineOp, type NoAttrs, type OpDef, type OutputSpecs } from "../dispatch/op.js";
import { dispatch1 } from "../dispatch/dispatch.js";
import { expectDType, expectTensor } from "./checks.js";

/** The one check of the float-only ops: a float16 or float32 tensor. */
export function expectFloatTensor(op: string, argument: string, value: unknown): Tensor {
  const t = expectTensor(op, argument, value);
  expectDType(op, argument, t, float16, float32);
  return t;
}

/** A finite JS number attribute. */
export function expectFinite(op: string, argument: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value))
    throw new ArgumentError(op, argument, "a finite number", describe(value));
  return value;
}

export const floatUnaryOpNames = ["exp", "sigmoid", "tanh", "sqrt", "hardswish"] as const;
export type FloatUnaryOpName = (typeof floatUnaryOpNames)[number];
const selfInput = ["self"] as const;
export type FloatUnaryOpDef = OpDef<typeof selfInput, NoAttrs, undefined>;

const sameAsSelf =
  (name: string) =>
  ({ self }: { readonly self: Tensor | null }): OutputSpecs => {
    const t = expectFloatTensor(name, "self", self);
    return [{ shape: t.shape, dtype: t.dtype }];
  };

export const floatUnaryOps = Object.fromEntries(
  floatUnaryOpNames.map((name) => [
    name,
    defineOp({ name, inputs: selfInput, meta: sameAsSelf(name) }),
  ]),
) as Record<FloatUnaryOpName, FloatUnaryOpDef>;

export const exp = (self: Tensor): Tensor => dispatch1(floatUnaryOps.exp, { self }, {});
export const sigmoid = (self: Tensor): Tensor => dispatch1(floatUnaryOps.sigmoid, { self }, {});
export const tanh = (self: Tensor): Tensor => dispatch1(floatUnaryOps.tanh, { self }, {});
export const sqrt = (self: Tensor): Tensor => dispatch1(floatUnaryOps.sqrt, { self }, {});
/** `x * hardsigmoid(x)` with alpha 1/6, beta 1/2 (torch and ONNX HardSwish). */
export const hardswish = (self: Tensor): Tensor => dispatch1(floatUnaryOps.hardswish, { self }, {});

export interface HardsigmoidAttrs {
  readonly alpha: number;
  readonly beta: number;
}

export const hardsigmoidOp = defineOp({
  name: "hardsigmoid",
  inputs: selfInput,
  meta: ({ self }, a: HardsigmoidAttrs): OutputSpecs => {
    expectFinite("hardsigmoid", "alpha", a.alpha);
    expectFinite("hardsigmoid", "beta", a.beta);
    return sameAsSelf("hardsigmoid")({ self });
  },
});

/** `clamp(alpha * x + beta, 0, 1)`; torch's defaults alpha 1/6, beta 1/2 (ONNX uses 0.2, 0.5). */
export function hardsigmoid(self: Tensor, alpha = 1 / 6, beta = 0.5): Tensor {
  return dispatch1(hardsigmoidOp, { self }, { alpha, beta });
}

export interface LeakyReluAttrs {
  readonly negativeSlope: number;
}

export const leakyReluOp = defineOp({
  name: "leaky_relu",
  inputs: selfInput,
  meta: ({ self }, a: LeakyReluAttrs): OutputSpecs => {
    expectFinite("leaky_relu", "negativeSlope", a.negativeSlope);
    return sameAsSelf("leaky_relu")({ self });
  },
});

/** `x < 0 ? x * negativeSlope : x` (torch's default slope 0.01). */
export function leakyRelu(self: Tensor, negativeSlope = 0.01): Tensor {
  return dispatch1(leakyReluOp, { self }, { negativeSlope });
}
