// What an op handler is: given a node and its inputs at load (constants as cpu tensors, run-time
// values as symbolic tensors of known shape), it validates attributes and returns the function
// that computes the node's outputs. The loader runs that function once at load (which folds
// nodes whose inputs are all constant and infers every shape) and at each forward.

import type { Parameter } from "@tsnpu/nn";
import type { DType, Tensor } from "@tsnpu/tensor";
import type { OnnxNode } from "../node.js";
import { hostInts, hostNumbers } from "../tensors.js";

/** Node inputs in order; null for an omitted optional input. */
export type NodeInputs = readonly (Tensor | null)[];

export type Run = (inputs: NodeInputs) => Tensor[];

export interface LowerContext {
  /** The dtype float32 tensors run in (LoadOptions.floatDType). */
  readonly floatDType: DType;
  /** Constant input `i` is read as a tensor at run time: it becomes a parameter (moved by `.to()`). */
  operand(i: number): void;
  /** A tensor the handler derived at load (folded weights, helper constants), as a parameter named `<node>.<role>`. */
  parameter(role: string, value: Tensor): Parameter;
}

export type OpHandler = (node: OnnxNode, inputs: NodeInputs, ctx: LowerContext) => Run;

/** Input `i`, which the op requires. */
export function required(node: OnnxNode, inputs: NodeInputs, i: number): Tensor {
  const t = inputs[i];
  if (!t) throw node.error(`input ${i} is required but missing`);
  return t;
}

/** Constant input `i` (shapes, axes, pads...), which must be known at load. */
export function constant(
  node: OnnxNode,
  inputs: NodeInputs,
  i: number,
  what: string,
): Tensor | undefined {
  const t = inputs[i];
  if (!t) return undefined;
  if (t.isSymbolic) {
    throw node.error(
      `input ${i} (${what}, "${node.inputs[i]}") must be a constant known at load (an initializer or computed from shapes); it depends on the model's inputs`,
    );
  }
  return t;
}

export function constantInts(
  node: OnnxNode,
  inputs: NodeInputs,
  i: number,
  what: string,
): number[] | undefined {
  const t = constant(node, inputs, i, what);
  return t && hostInts(t);
}

export function constantNumbers(
  node: OnnxNode,
  inputs: NodeInputs,
  i: number,
  what: string,
): number[] | undefined {
  const t = constant(node, inputs, i, what);
  return t && hostNumbers(t);
}

/** Normalizes a possibly negative axis of a rank-`rank` tensor, naming the node and attribute on error. */
export function axisOf(node: OnnxNode, axis: number, rank: number, what = "axis"): number {
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(a) || a < 0 || a >= rank)
    throw node.unsupported(
      what,
      axis,
      `an axis in [${-rank}, ${rank - 1}] for a rank-${rank} input`,
    );
  return a;
}

/** The value of an attribute that became an input at `sinceOpset` (axes, split, pads...). */
export function attributeOrInput(
  node: OnnxNode,
  inputs: NodeInputs,
  name: string,
  sinceOpset: number,
  inputIndex: number,
): number[] | undefined {
  return node.opset < sinceOpset ? node.ints(name) : constantInts(node, inputs, inputIndex, name);
}
