// torch's "int or tuple" arguments (kernel_size, stride, ...), normalised to [h, w] with the
// module's allowed range checked and named in errors.

import { ArgumentError, describe } from "@tsnpu/tensor";

export type IntPair = number | readonly [number, number];

export function toPair(op: string, argument: string, value: IntPair, min: number, max = Infinity): [number, number] {
  const pair = typeof value === "number" ? [value, value] : value;
  const ok = Array.isArray(pair) && pair.length === 2 && pair.every((v) => Number.isInteger(v) && v >= min && v <= max);
  if (!ok) {
    const range = max === Infinity ? `>= ${min}` : `in [${min}, ${max}]`;
    throw new ArgumentError(op, argument, `an integer ${range} or a pair [h, w] of them`, describe(value));
  }
  return [pair[0]!, pair[1]!];
}

export const formatPair = (p: readonly [number, number]) => `(${p[0]}, ${p[1]})`;
