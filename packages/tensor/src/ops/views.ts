// View ops: reshape, permute, narrow, ... are stride arithmetic on the host followed by one
// primitive op, as_strided, whose device-agnostic kernel shares the input's storage. Recording
// as_strided in graphs keeps views traceable. Invariant that makes this sound: every non-view
// kernel returns contiguous tensors, and compiled graphs make their inputs contiguous, so a view
// computed at trace time has the same strides at run time. A traced as_strided output keeps the
// view's strides and offset (its meta returns them), so a view of a view, or a reshape of a
// transposed input, is computed from the real layout and not from a contiguous placeholder.

import { ArgumentError, describe } from "../errors.js";
import { Tensor } from "../tensor.js";
import { defineOp } from "../dispatch/op.js";
import { ANY_BACKEND, registerKernel } from "../dispatch/registry.js";
import { dispatch1 } from "../dispatch/dispatch.js";
import { checkShape, contiguousStrides, normalizeDim, numel } from "../shape.js";
import { expectTensor } from "./checks.js";
import { copy } from "./copy.js";

export interface AsStridedAttrs {
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  /** Added to the input's storage offset. */
  readonly offsetDelta: number;
}

/**
 * A view must stay inside its input's storage, as torch's as_strided checks: otherwise kernels
 * read other tensors' memory (wasm) or zeros.
 */
function checkAsStrided(input: Tensor, a: AsStridedAttrs): void {
  const shape = checkShape("as_strided", a.shape);
  if (
    !Array.isArray(a.strides) ||
    a.strides.length !== shape.length ||
    !a.strides.every((s) => Number.isInteger(s) && s >= 0)
  ) {
    throw new ArgumentError(
      "as_strided",
      "strides",
      `${shape.length} non-negative integers (negative strides are not supported, as in torch)`,
      describe(a.strides),
    );
  }
  const start = input.offset + a.offsetDelta;
  if (!Number.isInteger(a.offsetDelta) || start < 0) {
    throw new ArgumentError(
      "as_strided",
      "offset",
      `an integer >= ${-input.offset}`,
      describe(a.offsetDelta),
    );
  }
  if (numel(shape) === 0) return;
  const last = shape.reduce((acc, d, i) => acc + (d - 1) * (a.strides[i] ?? 0), start);
  // A symbolic input has no storage yet: its own view bounds what the storage will hold.
  const extent = input.isSymbolic
    ? input.numel() === 0
      ? 0
      : input.shape.reduce((acc, d, i) => acc + (d - 1) * (input.strides[i] ?? 0), input.offset) + 1
    : input.storage.length;
  if (last >= extent) {
    throw new ArgumentError(
      "as_strided",
      "size",
      `a view inside the input's storage of ${extent} elements`,
      `size ${describe(shape)}, strides ${describe(a.strides)}, offset ${start}, reaching element ${last}`,
    );
  }
}

export const asStridedOp = defineOp({
  name: "as_strided",
  inputs: ["input"],
  meta: ({ input: inputArg }, a: AsStridedAttrs) => {
    const input = expectTensor("as_strided", "input", inputArg);
    checkAsStrided(input, a);
    return [
      {
        shape: a.shape,
        dtype: input.dtype,
        strides: a.strides,
        offset: input.offset + a.offsetDelta,
      },
    ];
  },
});

registerKernel(asStridedOp, ANY_BACKEND, {
  run: ({ input }, a) => [
    new Tensor(
      input.storage,
      a.shape,
      a.strides,
      input.offset + a.offsetDelta,
      input.dtype,
      input.device,
    ),
  ],
});

export function asStrided(
  input: Tensor,
  shape: readonly number[],
  strides: readonly number[],
  offsetDelta = 0,
): Tensor {
  return dispatch1(asStridedOp, { input }, { shape, strides, offsetDelta });
}

/** Resolves one -1 in a requested shape and checks the element count. */
function inferShape(op: string, input: Tensor, shape: readonly number[]): number[] {
  const out = [...shape];
  const free = out.indexOf(-1);
  if (out.some((d, i) => !Number.isInteger(d) || d < -1 || (d === -1 && i !== free))) {
    throw new ArgumentError(
      op,
      "shape",
      "non-negative integers with at most one -1",
      describe(shape),
    );
  }
  const known = numel(out.filter((d) => d !== -1));
  if (free >= 0) {
    if (known === 0 || input.numel() % known !== 0)
      throw new ArgumentError(
        op,
        "shape",
        `a shape compatible with ${input.numel()} elements`,
        describe(shape),
      );
    out[free] = input.numel() / known;
  }
  if (numel(out) !== input.numel()) {
    throw new ArgumentError(
      op,
      "shape",
      `a shape with ${input.numel()} elements (input shape [${input.shape.join(", ")}])`,
      describe(shape),
    );
  }
  return out;
}

/** Same data, new shape; the input must be contiguous (use reshape otherwise). */
export function view(input: Tensor, shape: readonly number[]): Tensor {
  const out = inferShape("view", input, shape);
  if (!input.isContiguous()) {
    throw new ArgumentError(
      "view",
      "self",
      "a contiguous tensor (call .contiguous() or use reshape)",
      `strides [${input.strides.join(", ")}]`,
    );
  }
  return asStrided(input, out, contiguousStrides(out));
}

/** view() when possible, else a contiguous copy with the new shape. */
export function reshape(input: Tensor, shape: readonly number[]): Tensor {
  const out = inferShape("reshape", input, shape);
  const source = input.isContiguous() ? input : copy(input);
  return asStrided(source, out, contiguousStrides(out));
}

export function permute(input: Tensor, dims: readonly number[]): Tensor {
  const nd = input.ndim;
  const norm = dims.map((d) => normalizeDim("permute", d, nd, "dims"));
  if (norm.length !== nd || new Set(norm).size !== nd) {
    throw new ArgumentError("permute", "dims", `a permutation of ${nd} dimensions`, describe(dims));
  }
  return asStrided(
    input,
    norm.map((d) => input.shape[d]!),
    norm.map((d) => input.strides[d]!),
  );
}

export function transpose(input: Tensor, dim0: number, dim1: number): Tensor {
  const a = normalizeDim("transpose", dim0, input.ndim, "dim0");
  const b = normalizeDim("transpose", dim1, input.ndim, "dim1");
  const order = [...Array(input.ndim).keys()];
  order[a] = b;
  order[b] = a;
  return permute(input, order);
}

export function squeeze(input: Tensor, dim?: number): Tensor {
  const keep = (i: number) =>
    dim === undefined
      ? input.shape[i] !== 1
      : i !== normalizeDim("squeeze", dim, input.ndim) || input.shape[i] !== 1;
  const idx = [...Array(input.ndim).keys()].filter(keep);
  return asStrided(
    input,
    idx.map((i) => input.shape[i]!),
    idx.map((i) => input.strides[i]!),
  );
}

export function unsqueeze(input: Tensor, dim: number): Tensor {
  const d = normalizeDim("unsqueeze", dim, input.ndim + 1);
  const shape = [...input.shape];
  const strides = [...input.strides];
  shape.splice(d, 0, 1);
  strides.splice(d, 0, d < input.ndim ? input.strides[d]! * input.shape[d]! : 1);
  return asStrided(input, shape, strides);
}

export function narrow(input: Tensor, dim: number, start: number, length: number): Tensor {
  const d = normalizeDim("narrow", dim, input.ndim);
  const size = input.shape[d]!;
  const s = start < 0 ? start + size : start;
  if (!Number.isInteger(s) || s < 0 || s > size)
    throw new ArgumentError(
      "narrow",
      "start",
      `an integer in [${-size}, ${size}]`,
      describe(start),
    );
  if (!Number.isInteger(length) || length < 0 || s + length > size) {
    throw new ArgumentError("narrow", "length", `an integer in [0, ${size - s}]`, describe(length));
  }
  const shape = [...input.shape];
  shape[d] = length;
  return asStrided(input, shape, input.strides, s * input.strides[d]!);
}

export function select(input: Tensor, dim: number, index: number): Tensor {
  const d = normalizeDim("select", dim, input.ndim);
  const size = input.shape[d]!;
  const i = index < 0 ? index + size : index;
  if (!Number.isInteger(i) || i < 0 || i >= size)
    throw new ArgumentError(
      "select",
      "index",
      `an integer in [${-size}, ${size - 1}]`,
      describe(index),
    );
  const shape = input.shape.filter((_, k) => k !== d);
  const strides = input.strides.filter((_, k) => k !== d);
  return asStrided(input, shape, strides, i * input.strides[d]!);
}

export function flatten(input: Tensor, startDim = 0, endDim = -1): Tensor {
  if (input.ndim === 0) return reshape(input, [1]);
  const s = normalizeDim("flatten", startDim, input.ndim, "startDim");
  const e = normalizeDim("flatten", endDim, input.ndim, "endDim");
  if (s > e) throw new ArgumentError("flatten", "startDim", `<= endDim (${e})`, describe(s));
  const shape = [
    ...input.shape.slice(0, s),
    numel(input.shape.slice(s, e + 1)),
    ...input.shape.slice(e + 1),
  ];
  return reshape(input, shape);
}
