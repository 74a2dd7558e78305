// torch.result_type for ops that mix tensors and JS numbers. Operands rank in three tiers:
// tensors with dimensions > 0-d tensors > JS scalars. A lower tier only changes the result
// when it is of a higher category (bool < int < float): `int8 tensor + 5` stays int8, while
// `int8 tensor + 2.5` becomes float32 (the default float dtype), as in torch.

import {
  bool,
  defaultFloatDType,
  defaultIntDType,
  float32,
  promoteTypes,
  type DType,
} from "../dtype.js";
import { ArgumentError, describe } from "../errors.js";
import type { Scalar } from "../numerics/elements.js";
import { Tensor } from "../tensor.js";

export type Operand = Tensor | Scalar;

const category = (d: DType): number => (d.kind === "bool" ? 0 : d.kind === "int" ? 1 : 2);

/** The dtype a JS scalar stands for while promoting. */
export function scalarDType(value: Scalar): DType {
  if (typeof value === "boolean") return bool;
  if (typeof value === "bigint" || Number.isInteger(value)) return defaultIntDType;
  return defaultFloatDType;
}

/** Combines a higher tier's dtype with a lower tier's (torch's combine_categories). */
function combine(higher: DType | null, lower: DType | null): DType | null {
  if (!higher) return lower;
  if (!lower) return higher;
  return category(lower) > category(higher) ? promoteTypes(higher, lower) : higher;
}

function promoteAll(dtypes: DType[]): DType | null {
  return dtypes.length === 0 ? null : dtypes.reduce(promoteTypes);
}

/** torch.result_type over any mix of tensors and scalars (at least one operand). */
export function resultType(...operands: Operand[]): DType {
  const dimensioned: DType[] = [];
  const zeroDim: DType[] = [];
  const scalars: DType[] = [];
  for (const o of operands) {
    if (o instanceof Tensor) (o.ndim > 0 ? dimensioned : zeroDim).push(o.dtype);
    else scalars.push(scalarDType(o));
  }
  return (
    combine(promoteAll(dimensioned), combine(promoteAll(zeroDim), promoteAll(scalars))) ?? float32
  );
}

/** Checks an operand is a Tensor or a JS scalar (number, bigint, boolean). */
export function expectOperand(op: string, argument: string, value: unknown): Operand {
  if (
    value instanceof Tensor ||
    typeof value === "number" ||
    typeof value === "bigint" ||
    typeof value === "boolean"
  )
    return value;
  throw new ArgumentError(op, argument, "a Tensor or a number", describe(value));
}

/**
 * torch refuses an integral scalar that overflows an integral result dtype (`int8 tensor + 300`);
 * uint8, as in C++'s checked conversion, also takes negatives down to -255.
 */
export function checkScalarFits(op: string, argument: string, value: Scalar, dtype: DType): void {
  if (dtype.kind !== "int" || typeof value === "boolean") return;
  const bits = BigInt(dtype.itemSize * 8);
  const max = dtype.isSigned ? (1n << (bits - 1n)) - 1n : (1n << bits) - 1n;
  const min = dtype.isSigned ? -max - 1n : -max;
  const v = typeof value === "bigint" ? value : Number.isInteger(value) ? BigInt(value) : null;
  if (v !== null && (v < min || v > max)) {
    throw new ArgumentError(
      op,
      argument,
      `a value that fits ${dtype.name} (the result dtype)`,
      describe(value),
    );
  }
}
