// torch's "int or tuple" arguments (kernel_size, stride, ...), normalised to [h, w] with the
// module's allowed range checked and named in errors.

import { ArgumentError, describe } from "@tsnpu/tensor";

export type IntPair = number | readonly [number, number];

export function toPair(
  op: string,
  argument: string,
  value: IntPair,
  min: number,
  max = Infinity,
): [number, number] {
  const pair = typeof value === "number" ? [value, value] : value;
  const ok =
    Array.isArray(pair) &&
    pair.length === 2 &&
    pair.every((v) => Number.isInteger(v) && v >= min && v <= max);
  if (!ok) {
    const range = max === Infinity ? `>= ${min}` : `in [${min}, ${max}]`;
    throw new ArgumentError(
      op,
      argument,
      `an integer ${range} or a pair [h, w] of them`,
      describe(value),
    );
  }
  return [pair[0]!, pair[1]!];
}

/** A count such as in_channels: a positive integer, named in the error otherwise. */
export function positiveInt(op: string, argument: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1)
    throw new ArgumentError(op, argument, "a positive integer", describe(value));
  return value;
}

export const formatPair = (p: readonly [number, number]) => `(${p[0]}, ${p[1]})`;

/** The start of torch's conv extra_repr: channels, kernel_size, stride, and non-default padding / dilation. */
export function convReprParts(m: {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly padding: readonly [number, number];
  readonly dilation: readonly [number, number];
}): string[] {
  const parts = [
    `${m.inChannels}`,
    `${m.outChannels}`,
    `kernel_size=${formatPair(m.kernelSize)}`,
    `stride=${formatPair(m.stride)}`,
  ];
  if (m.padding.some((p) => p !== 0)) parts.push(`padding=${formatPair(m.padding)}`);
  if (m.dilation.some((d) => d !== 1)) parts.push(`dilation=${formatPair(m.dilation)}`);
  return parts;
}
