// Reductions: sum, mean, amax, amin (over one dim, a list, or all) from one table, and argmax.
// dtypes as torch: sum of integers or bools gives int64, mean needs a floating-point input.
// Kernels: reference/reduction.ts (cpu, npu), backend-wasm/src/kernels/reduction.ts.

import { bool, int64, type DType } from "../dtype.js";
import { ArgumentError, describe } from "../errors.js";
import { normalizeDim } from "../shape.js";
import type { Tensor } from "../tensor.js";
import { defineOp, type MetaResult, type OpDef, type OpInputs } from "../dispatch/op.js";
import { dispatch1 } from "../dispatch/dispatch.js";
import { expectTensor } from "./checks.js";

export interface ReduceAttrs {
  /** A dim, a list of dims, or null for all (an empty list also means all, as in torch). */
  readonly dim: number | readonly number[] | null;
  readonly keepdim: boolean;
}

interface ReductionRule {
  readonly outputDType: (input: DType) => DType;
  /** Refuses non-floating inputs (torch cannot infer mean's output dtype for them). */
  readonly floatOnly?: boolean;
  /** No identity element: reducing a dim of size 0 is an error. */
  readonly needsElements?: boolean;
}

const reductionRules = {
  sum: { outputDType: (d) => (d.kind === "float" ? d : int64) },
  mean: { outputDType: (d) => d, floatOnly: true },
  amax: { outputDType: (d) => d, needsElements: true },
  amin: { outputDType: (d) => d, needsElements: true },
} satisfies Record<string, ReductionRule>;

export type ReductionOpName = keyof typeof reductionRules;
export const reductionOpNames = Object.keys(reductionRules) as ReductionOpName[];

/** The dims a reduction runs over, normalized and ascending; throws on bad or repeated dims. */
function reducedDims(op: string, input: Tensor, dim: number | readonly number[] | null): number[] {
  const nd = input.ndim;
  if (dim === null || (Array.isArray(dim) && dim.length === 0)) return [...Array(nd).keys()];
  const list: readonly number[] = Array.isArray(dim) ? dim : [dim as number];
  const dims = list.map((d) => normalizeDim(op, d, nd));
  dims.forEach((d, i) => {
    if (dims.indexOf(d) !== i)
      throw new ArgumentError(
        op,
        "dim",
        "a list without repeated dims",
        `dim ${d} twice in ${describe(list)}`,
      );
  });
  // A 0-d tensor accepts dim 0 / -1 but has no dimension to reduce.
  return nd === 0 ? [] : dims.sort((a, b) => a - b);
}

/** The shape left after reducing `dims`: size 1 there with keepdim, else dropped. */
export function reducedShape(
  shape: readonly number[],
  dims: readonly number[],
  keepdim: boolean,
): number[] {
  return shape.flatMap((s, i) => (dims.includes(i) ? (keepdim ? [1] : []) : [s]));
}

function checkNonEmpty(op: string, input: Tensor, dims: readonly number[]): void {
  const empty = dims.find((d) => input.shape[d] === 0);
  if (empty !== undefined || (input.numel() === 0 && dims.length === 0)) {
    throw new ArgumentError(
      op,
      "self",
      `non-empty along the reduced dims (${op} of no elements is undefined)`,
      describe(input),
    );
  }
}

const reductionInputs = ["self"] as const;

/** What reduction kernels receive: the reduced dims, normalized and ascending. */
export type ReducedDims = readonly number[];

function reductionMeta(name: string, rule: ReductionRule) {
  return (
    { self: input }: OpInputs<typeof reductionInputs>,
    a: ReduceAttrs,
  ): MetaResult<ReducedDims> => {
    const self = expectTensor(name, "self", input);
    if (typeof a.keepdim !== "boolean")
      throw new ArgumentError(name, "keepdim", "a boolean", describe(a.keepdim));
    if (rule.floatOnly && !self.dtype.isFloatingPoint) {
      throw new ArgumentError(
        name,
        "self",
        "a floating-point tensor (cast it with .to(float32) first)",
        describe(self),
      );
    }
    const dims = reducedDims(name, self, a.dim);
    if (rule.needsElements) checkNonEmpty(name, self, dims);
    return {
      outputs: [
        { shape: reducedShape(self.shape, dims, a.keepdim), dtype: rule.outputDType(self.dtype) },
      ],
      derived: dims,
    };
  };
}

export type ReductionOpDef = OpDef<typeof reductionInputs, ReduceAttrs, ReducedDims>;

export const reductionOps = Object.fromEntries(
  reductionOpNames.map((name) => [
    name,
    defineOp({ name, inputs: reductionInputs, meta: reductionMeta(name, reductionRules[name]) }),
  ]),
) as Record<ReductionOpName, ReductionOpDef>;

function reduce(
  name: ReductionOpName,
  self: Tensor,
  dim: number | readonly number[] | undefined,
  keepdim = false,
): Tensor {
  return dispatch1(reductionOps[name], { self }, { dim: dim ?? null, keepdim });
}

/** Sum over `dim` (all dims when omitted); integers and bools sum to int64. */
export function sum(self: Tensor, dim?: number | readonly number[], keepdim?: boolean): Tensor {
  return reduce("sum", self, dim, keepdim);
}
/** Mean over `dim` (all dims when omitted); floating-point inputs only. */
export function mean(self: Tensor, dim?: number | readonly number[], keepdim?: boolean): Tensor {
  return reduce("mean", self, dim, keepdim);
}
/** Maximum over `dim` (NaN propagates). */
export function amax(self: Tensor, dim?: number | readonly number[], keepdim?: boolean): Tensor {
  return reduce("amax", self, dim, keepdim);
}
/** Minimum over `dim` (NaN propagates). */
export function amin(self: Tensor, dim?: number | readonly number[], keepdim?: boolean): Tensor {
  return reduce("amin", self, dim, keepdim);
}

export interface ArgmaxAttrs {
  /** null: the index into the flattened tensor. */
  readonly dim: number | null;
  readonly keepdim: boolean;
}

export const argmaxOp = defineOp({
  name: "argmax",
  inputs: reductionInputs,
  meta: ({ self: input }, a: ArgmaxAttrs): MetaResult<ReducedDims> => {
    const self = expectTensor("argmax", "self", input);
    if (self.dtype === bool)
      throw new ArgumentError("argmax", "self", "a numeric tensor", describe(self));
    if (typeof a.keepdim !== "boolean")
      throw new ArgumentError("argmax", "keepdim", "a boolean", describe(a.keepdim));
    if (a.dim !== null && typeof a.dim !== "number")
      throw new ArgumentError("argmax", "dim", "an integer or undefined", describe(a.dim));
    const dims = reducedDims("argmax", self, a.dim);
    checkNonEmpty("argmax", self, dims);
    return {
      outputs: [{ shape: reducedShape(self.shape, dims, a.keepdim), dtype: int64 }],
      derived: dims,
    };
  },
});

/** Index of the first maximum along `dim` (of the flattened tensor when omitted); NaN counts as the maximum. int64. */
export function argmax(self: Tensor, dim?: number, keepdim?: boolean): Tensor {
  return dispatch1(argmaxOp, { self }, { dim: dim ?? null, keepdim: keepdim ?? false });
}
