// Arithmetic shared by the sliding-window ops (conv2d, pooling): int-or-pair arguments and
// output sizes.

import { ArgumentError, describe } from "../errors.js";
import type { Tensor } from "../tensor.js";

/** A validated window sliding over H x W, with its output size: what pooling and QuantConv2d kernels receive. */
export interface Window2dGeometry {
  readonly h: number;
  readonly w: number;
  readonly kh: number;
  readonly kw: number;
  readonly strideH: number;
  readonly strideW: number;
  readonly padH: number;
  readonly padW: number;
  readonly dilationH: number;
  readonly dilationW: number;
  readonly hOut: number;
  readonly wOut: number;
}

/** `v` or `[h, w]` as a pair of integers >= `min`. */
export function expectSizePair(
  op: string,
  argument: string,
  value: unknown,
  min: number,
): [number, number] {
  const pair = typeof value === "number" ? [value, value] : value;
  if (
    !Array.isArray(pair) ||
    pair.length !== 2 ||
    !pair.every((v) => Number.isInteger(v) && v >= min)
  ) {
    throw new ArgumentError(
      op,
      argument,
      `an integer >= ${min} or a pair [h, w] of them`,
      describe(value),
    );
  }
  return [pair[0] as number, pair[1] as number];
}

/** Checks a (C, H, W) or (N, C, H, W) input; returns whether it has the batch dim. */
export function expectImageBatch(op: string, input: Tensor): boolean {
  if (input.ndim !== 3 && input.ndim !== 4) {
    throw new ArgumentError(
      op,
      "input",
      "a 3-D (C, H, W) or 4-D (N, C, H, W) tensor",
      describe(input),
    );
  }
  return input.ndim === 4;
}

/**
 * Output length of a convolution or pooling window over `size` cells with `pad` on both sides:
 * torch's `floor((size + 2 * pad - dilation * (kernel - 1) - 1) / stride) + 1`. Zero or less
 * when the dilated kernel does not fit.
 */
export function convOutputSize(
  size: number,
  kernel: number,
  stride = 1,
  pad = 0,
  dilation = 1,
): number {
  return Math.floor((size + 2 * pad - dilation * (kernel - 1) - 1) / stride) + 1;
}

/**
 * {@link convOutputSize} with different padding before and after, and torch's ceil mode, which
 * keeps a last partial window only if it starts inside the input or left padding.
 */
export function windowOutputSize(
  size: number,
  kernel: number,
  stride: number,
  padBefore: number,
  padAfter: number,
  dilation: number,
  ceilMode = false,
): number {
  // ceil(span / stride) = floor((span + stride - 1) / stride)
  const padded = size + padBefore + padAfter + (ceilMode ? stride - 1 : 0);
  let out = convOutputSize(padded, kernel, stride, 0, dilation);
  if (ceilMode && (out - 1) * stride >= size + padBefore) out--;
  return out;
}
