// Elementwise math: add, sub, mul, div, neg, abs, relu (one op per name, generated from the
// tables below) and clamp. The second operand may be a tensor (broadcast) or a JS number;
// dtypes follow torch.result_type (type-promotion.ts). Kernels: reference/elementwise.ts (cpu, npu), backend-wasm/src/kernels/elementwise.ts.

import { bool, defaultFloatDType, type DType } from "../dtype.js";
import { ArgumentError, describe } from "../errors.js";
import type { Scalar } from "../numerics/elements.js";
import { broadcastShapes } from "../shape.js";
import { Tensor } from "../tensor.js";
import {
  defineOp,
  type NoAttrs,
  type OpDef,
  type OpInputs,
  type OutputSpecs,
} from "../dispatch/op.js";
import { dispatch1 } from "../dispatch/dispatch.js";
import { expectTensor } from "./checks.js";
import {
  checkScalarFits,
  expectOperand,
  resultType,
  scalarDType,
  type Operand,
} from "./type-promotion.js";

export { resultType, type Operand } from "./type-promotion.js";

interface BinaryRule {
  /** `self + alpha * other` (add, sub). */
  readonly alpha?: boolean;
  /** True division: integral and bool results become the default float dtype. */
  readonly toFloat?: boolean;
  /** torch refuses this op on two bool operands, with this advice. */
  readonly refusesBools?: string;
}

const binaryRules = {
  add: { alpha: true },
  sub: { alpha: true, refusesBools: "use logical_xor (^) for bool tensors" },
  mul: {},
  div: { toFloat: true },
} satisfies Record<string, BinaryRule>;

/** Unary ops keep their input's dtype; none of them takes bool, as in torch. */
const unaryRules = {
  neg: { boolAdvice: "use logical_not (~) to invert a mask" },
  abs: { boolAdvice: "abs is not defined for bool" },
  relu: { boolAdvice: "relu is not defined for bool" },
} satisfies Record<string, { boolAdvice: string }>;

export type BinaryOpName = keyof typeof binaryRules;
export type UnaryOpName = keyof typeof unaryRules;
export const binaryOpNames = Object.keys(binaryRules) as BinaryOpName[];
export const unaryOpNames = Object.keys(unaryRules) as UnaryOpName[];

export interface BinaryAttrs {
  /** The second operand when it is a JS scalar (then inputs[1] is null). */
  readonly other: Scalar | null;
  /** Multiplier of the second operand (add, sub); 1 otherwise. */
  readonly alpha: number;
}

function operandDType(o: Operand): DType {
  return o instanceof Tensor ? o.dtype : scalarDType(o);
}

/** Shape and dtype of `self <op> other`; shared with the compare ops. */
export function binarySpec(
  op: string,
  selfArg: Tensor | null,
  otherArg: Tensor | null,
  scalar: unknown,
): { self: Tensor; other: Operand; shape: number[]; dtype: DType } {
  const self = expectTensor(op, "self", selfArg);
  const other = otherArg ? expectTensor(op, "other", otherArg) : expectOperand(op, "other", scalar);
  const shape =
    other instanceof Tensor ? broadcastShapes(op, self.shape, other.shape) : [...self.shape];
  const dtype = resultType(self, other);
  if (!(other instanceof Tensor)) checkScalarFits(op, "other", other, dtype);
  return { self, other, shape, dtype };
}

/** Binary ops: `other` is null when the second operand is a JS scalar (attrs.other). */
export const binaryInputs = ["self", "other?"] as const;
const unaryInputs = ["self"] as const;

function binaryMeta(name: string, rule: BinaryRule) {
  return (
    { self: selfArg, other: otherArg }: OpInputs<typeof binaryInputs>,
    a: BinaryAttrs,
  ): OutputSpecs => {
    const { self, other, shape, dtype } = binarySpec(name, selfArg, otherArg, a.other);
    if (rule.refusesBools && self.dtype === bool && operandDType(other) === bool) {
      throw new ArgumentError(
        name,
        "other",
        `not bool when self is bool (${rule.refusesBools})`,
        describe(other),
      );
    }
    if (rule.alpha) {
      if (typeof a.alpha !== "number" || Number.isNaN(a.alpha))
        throw new ArgumentError(name, "alpha", "a number", describe(a.alpha));
      if (dtype.kind !== "float" && !Number.isInteger(a.alpha)) {
        throw new ArgumentError(
          name,
          "alpha",
          `an integer for a ${dtype.name} result`,
          describe(a.alpha),
        );
      }
    }
    return [{ shape, dtype: rule.toFloat && dtype.kind !== "float" ? defaultFloatDType : dtype }];
  };
}

function unaryMeta(name: string, boolAdvice: string) {
  return ({ self: input }: OpInputs<typeof unaryInputs>): OutputSpecs => {
    const self = expectTensor(name, "self", input);
    if (self.dtype === bool)
      throw new ArgumentError(name, "self", `a numeric tensor (${boolAdvice})`, describe(self));
    return [{ shape: self.shape, dtype: self.dtype }];
  };
}

export type BinaryOpDef = OpDef<typeof binaryInputs, BinaryAttrs, undefined>;
export type UnaryOpDef = OpDef<typeof unaryInputs, NoAttrs, undefined>;

export const binaryOps = Object.fromEntries(
  binaryOpNames.map((name) => [
    name,
    defineOp({ name, inputs: binaryInputs, meta: binaryMeta(name, binaryRules[name]) }),
  ]),
) as Record<BinaryOpName, BinaryOpDef>;

export const unaryOps = Object.fromEntries(
  unaryOpNames.map((name) => [
    name,
    defineOp({ name, inputs: unaryInputs, meta: unaryMeta(name, unaryRules[name].boolAdvice) }),
  ]),
) as Record<UnaryOpName, UnaryOpDef>;

function binary(name: BinaryOpName, self: Tensor, other: Operand, alpha = 1): Tensor {
  const isTensor = other instanceof Tensor;
  return dispatch1(
    binaryOps[name],
    { self, other: isTensor ? other : null },
    { other: isTensor ? null : other, alpha },
  );
}

/** `self + alpha * other`, broadcasting, with torch's type promotion. */
export function add(self: Tensor, other: Operand, alpha?: number): Tensor {
  return binary("add", self, other, alpha);
}
/** `self - alpha * other`. */
export function sub(self: Tensor, other: Operand, alpha?: number): Tensor {
  return binary("sub", self, other, alpha);
}
export function mul(self: Tensor, other: Operand): Tensor {
  return binary("mul", self, other);
}
/** True division: integer inputs give float32, as torch.div without rounding_mode. */
export function div(self: Tensor, other: Operand): Tensor {
  return binary("div", self, other);
}

export function neg(self: Tensor): Tensor {
  return dispatch1(unaryOps.neg, { self }, {});
}
export function abs(self: Tensor): Tensor {
  return dispatch1(unaryOps.abs, { self }, {});
}
export function relu(self: Tensor): Tensor {
  return dispatch1(unaryOps.relu, { self }, {});
}

export interface ClampAttrs {
  readonly min: number | null;
  readonly max: number | null;
}

export const clampOp = defineOp({
  name: "clamp",
  inputs: ["self"],
  meta: ({ self: input }, { min, max }: ClampAttrs) => {
    const self = expectTensor("clamp", "self", input);
    for (const [argument, v] of [
      ["min", min],
      ["max", max],
    ] as const) {
      if (v !== null && typeof v !== "number")
        throw new ArgumentError("clamp", argument, "a number or null", describe(v));
    }
    if (min === null && max === null)
      throw new ArgumentError(
        "clamp",
        "min",
        "a number when max is null (at least one bound)",
        "null",
      );
    if (self.dtype === bool)
      throw new ArgumentError(
        "clamp",
        "self",
        "a numeric tensor (clamp is not defined for bool)",
        describe(self),
      );
    const bounds = [min, max].filter((v): v is number => v !== null);
    const dtype = resultType(self, ...bounds);
    bounds.forEach((v, i) =>
      checkScalarFits("clamp", min !== null && i === 0 ? "min" : "max", v, dtype),
    );
    return [{ shape: self.shape, dtype }];
  },
});

/** Limits values to [min, max] (either may be null); a float bound makes an integer tensor float32. */
export function clamp(self: Tensor, min?: number | null, max?: number | null): Tensor {
  return dispatch1(clampOp, { self }, { min: min ?? null, max: max ?? null });
}
