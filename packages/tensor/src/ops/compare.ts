// Comparisons: eq and isclose (bool tensors), where (select), and the host-side answers
// equal() and allclose() built on them. Kernels: reference/compare.ts (cpu, npu).

import { bool, type DType } from "../dtype.js";
import { ArgumentError, describe } from "../errors.js";
import type { Scalar } from "../numerics/elements.js";
import { broadcastShapes } from "../shape.js";
import { Tensor } from "../tensor.js";
import { defineOp } from "../dispatch/op.js";
import { dispatch1 } from "../dispatch/dispatch.js";
import { expectTensor } from "./checks.js";
import { binarySpec } from "./elementwise.js";
import { checkScalarFits, expectOperand, resultType, type Operand } from "./type-promotion.js";

export interface EqAttrs {
  /** The second operand when it is a JS scalar (then inputs[1] is null). */
  readonly other: Scalar | null;
}

/** What eq's kernels compare in. */
export interface EqDerived {
  /** The dtype both operands are cast to before comparing (torch.result_type). */
  readonly computeDType: DType;
}

export const eqOp = defineOp({
  name: "eq",
  inputs: ["self", "other?"],
  meta: ({ self, other }, a: EqAttrs) => {
    const { shape, dtype } = binarySpec("eq", self, other, a.other);
    return {
      outputs: [{ shape, dtype: bool }],
      derived: { computeDType: dtype } satisfies EqDerived as EqDerived,
    };
  },
});

/** Elementwise `self == other` as a bool tensor (NaN equals nothing). */
export function eq(self: Tensor, other: Operand): Tensor {
  const isTensor = other instanceof Tensor;
  return dispatch1(
    eqOp,
    { self, other: isTensor ? other : null },
    { other: isTensor ? null : other },
  );
}

export interface WhereAttrs {
  /** JS scalars standing in for `self` / `other` (then the matching input is null). */
  readonly self: Scalar | null;
  readonly other: Scalar | null;
}

export const whereOp = defineOp({
  name: "where",
  inputs: ["condition", "self?", "other?"],
  meta: ({ condition: condArg, self: selfArg, other: otherArg }, a: WhereAttrs) => {
    const cond = expectTensor("where", "condition", condArg);
    if (cond.dtype !== bool)
      throw new ArgumentError("where", "condition", "a bool tensor", describe(cond));
    const self = selfArg
      ? expectTensor("where", "self", selfArg)
      : expectOperand("where", "self", a.self);
    const other = otherArg
      ? expectTensor("where", "other", otherArg)
      : expectOperand("where", "other", a.other);
    let shape: readonly number[] = cond.shape;
    for (const o of [self, other])
      if (o instanceof Tensor) shape = broadcastShapes("where", shape, o.shape);
    const dtype = resultType(self, other);
    if (!(self instanceof Tensor)) checkScalarFits("where", "self", self, dtype);
    if (!(other instanceof Tensor)) checkScalarFits("where", "other", other, dtype);
    return [{ shape: [...shape], dtype }];
  },
});

/** `self` where `condition` is true, else `other`; all three broadcast, values promote like add. */
export function where(condition: Tensor, self: Operand, other: Operand): Tensor {
  const asInput = (o: Operand) => (o instanceof Tensor ? o : null);
  const asScalar = (o: Operand) => (o instanceof Tensor ? null : o);
  return dispatch1(
    whereOp,
    { condition, self: asInput(self), other: asInput(other) },
    { self: asScalar(self), other: asScalar(other) },
  );
}

export interface IscloseAttrs {
  readonly rtol: number;
  readonly atol: number;
  /** Whether NaN is close to NaN. */
  readonly equalNan: boolean;
}

export const iscloseOp = defineOp({
  name: "isclose",
  inputs: ["self", "other"],
  meta: ({ self: selfArg, other: otherArg }, a: IscloseAttrs) => {
    const self = expectTensor("isclose", "self", selfArg);
    const other = expectTensor("isclose", "other", otherArg);
    if (self.dtype !== other.dtype)
      throw new ArgumentError(
        "isclose",
        "other",
        `of dtype ${self.dtype.name} (the dtype of self)`,
        `dtype ${other.dtype.name}`,
      );
    for (const key of ["rtol", "atol"] as const) {
      const v = a[key];
      if (typeof v !== "number" || !(v >= 0))
        throw new ArgumentError("isclose", key, "a number >= 0", describe(v));
    }
    return [{ shape: broadcastShapes("isclose", self.shape, other.shape), dtype: bool }];
  },
});

/** Elementwise `|self - other| <= atol + rtol * |other|` (equal infinities are close). */
export function isclose(
  self: Tensor,
  other: Tensor,
  rtol = 1e-5,
  atol = 1e-8,
  equalNan = false,
): Tensor {
  return dispatch1(iscloseOp, { self, other }, { rtol, atol, equalNan });
}

/** Every element of a bool tensor is true (reads the values on the host). */
function allTrue(t: Tensor): boolean {
  return (t.toTypedArray() as Uint8Array).every((v) => v !== 0);
}

/** Same shape and the same values (compared after type promotion), as torch.equal. */
export function equal(self: Tensor, other: Tensor): boolean {
  expectTensor("equal", "self", self);
  expectTensor("equal", "other", other);
  if (self.shape.length !== other.shape.length || self.shape.some((s, i) => s !== other.shape[i]))
    return false;
  return allTrue(eq(self, other));
}

/** isclose everywhere (broadcasting), NaN never close: torch.allclose. */
export function allclose(self: Tensor, other: Tensor, rtol = 1e-5, atol = 1e-8): boolean {
  return allTrue(isclose(self, other, rtol, atol));
}
