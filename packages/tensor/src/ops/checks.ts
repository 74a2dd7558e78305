// Argument checks shared by meta functions. Each throws an ArgumentError naming the op, the
// argument, what was expected and what was received.

import type { DType } from "../dtype.js";
import { ArgumentError, describe } from "../errors.js";
import { Tensor } from "../tensor.js";

export function expectTensor(op: string, argument: string, value: unknown): Tensor {
  if (!(value instanceof Tensor))
    throw new ArgumentError(op, argument, "a Tensor", describe(value));
  return value;
}

export function expectDim(
  op: string,
  argument: string,
  t: Tensor,
  ndim: number,
  what = `a ${ndim}-D tensor`,
): void {
  if (t.ndim !== ndim)
    throw new ArgumentError(
      op,
      argument,
      what,
      `a ${t.ndim}-D tensor of shape ${describe(t.shape)}`,
    );
}

export function expectDType(op: string, argument: string, t: Tensor, ...allowed: DType[]): void {
  if (!allowed.includes(t.dtype)) {
    throw new ArgumentError(
      op,
      argument,
      `of dtype ${allowed.map((d) => d.name).join(" or ")}`,
      `dtype ${t.dtype.name}`,
    );
  }
}

/** A pair of integers given as [h, w]. */
export function expectPair(op: string, argument: string, value: unknown): [number, number] {
  if (!Array.isArray(value) || value.length !== 2 || !value.every((v) => Number.isInteger(v))) {
    throw new ArgumentError(op, argument, "2 integers [h, w]", describe(value));
  }
  return [value[0] as number, value[1] as number];
}

export function expectIntInRange(
  op: string,
  argument: string,
  value: unknown,
  lo: number,
  hi: number,
): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < lo || value > hi) {
    const range = hi === Infinity ? `>= ${lo}` : `in [${lo}, ${hi}]`;
    throw new ArgumentError(op, argument, `an integer ${range}`, describe(value));
  }
  return value;
}

/** `t` has the dtype of `reference` (named `referenceName` in the message). */
export function expectSameDType(
  op: string,
  argument: string,
  t: Tensor,
  reference: Tensor,
  referenceName: string,
): void {
  if (t.dtype !== reference.dtype)
    throw new ArgumentError(
      op,
      argument,
      `of dtype ${reference.dtype.name} (the dtype of ${referenceName})`,
      `dtype ${t.dtype.name}`,
    );
}
