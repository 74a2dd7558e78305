// Shape and stride arithmetic shared by views, kernels and meta functions.

import { ArgumentError, describe } from "./errors.js";

export type Shape = readonly number[];

export function numel(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function sameShape(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Row-major (C-contiguous) strides. */
export function contiguousStrides(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  return strides;
}

export function isContiguous(shape: Shape, strides: readonly number[]): boolean {
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    if (shape[i] !== 1 && strides[i] !== s) return false;
    s *= shape[i]!;
  }
  return true;
}

/** Resolves a possibly negative dimension index, naming `op` in the error. */
export function normalizeDim(op: string, dim: number, ndim: number, argument = "dim"): number {
  const lo = ndim === 0 ? -1 : -ndim;
  const hi = ndim === 0 ? 0 : ndim - 1;
  if (!Number.isInteger(dim) || dim < lo || dim > hi) {
    throw new ArgumentError(op, argument, `an integer in [${lo}, ${hi}]`, describe(dim));
  }
  return dim < 0 ? dim + Math.max(ndim, 1) : dim;
}

/** Checks a user-given shape: non-negative integers. */
export function checkShape(op: string, shape: unknown, argument = "size"): number[] {
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new ArgumentError(op, argument, "an array of non-negative integers", describe(shape));
  }
  return shape as number[];
}

/** torch's broadcasting of two shapes; an error names `b` as `argument`. */
export function broadcastShapes(op: string, a: Shape, b: Shape, argument = "other"): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ArgumentError(
        op,
        argument,
        `a shape broadcastable with [${a.join(", ")}]`,
        `shape [${b.join(", ")}]`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Strides that read a tensor of `shape`/`strides` as if it had `target` shape (0 on broadcast dims). */
export function broadcastStrides(
  shape: Shape,
  strides: readonly number[],
  target: Shape,
): number[] {
  const out = new Array<number>(target.length).fill(0);
  const off = target.length - shape.length;
  for (let i = 0; i < shape.length; i++) out[i + off] = shape[i] === 1 ? 0 : strides[i]!;
  return out;
}

/**
 * Visits the rows (last dim) of a strided view in row-major order: `visit(start, k)` gets the
 * storage index of the row's first element and the row-major index it goes to.
 */
export function forEachStridedRow(
  shape: Shape,
  strides: readonly number[],
  offset: number,
  visit: (start: number, k: number) => void,
): void {
  const total = numel(shape);
  if (total === 0) return;
  const last = shape.length - 1;
  if (last < 0) {
    visit(offset, 0);
    return;
  }
  const w = shape[last]!;
  const idx = new Array<number>(last).fill(0);
  let base = offset;
  for (let k = 0; k < total; k += w) {
    visit(base, k);
    for (let d = last - 1; d >= 0; d--) {
      base += strides[d]!;
      if (++idx[d]! < shape[d]!) break;
      base -= strides[d]! * shape[d]!;
      idx[d] = 0;
    }
  }
}

/**
 * Calls `visit(sourceIndex, k)` for every element in row-major order of `shape`, where
 * sourceIndex = offset + sum(index[d] * strides[d]) and k counts 0, 1, 2, ...
 */
export function forEachStrided(
  shape: Shape,
  strides: readonly number[],
  offset: number,
  visit: (src: number, k: number) => void,
): void {
  if (shape.length === 0) {
    forEachStridedRow(shape, strides, offset, visit);
    return;
  }
  const lastDim = shape[shape.length - 1]!;
  const lastStride = strides[shape.length - 1]!;
  forEachStridedRow(shape, strides, offset, (base, k) => {
    for (let j = 0; j < lastDim; j++) visit(base + j * lastStride, k + j);
  });
}
