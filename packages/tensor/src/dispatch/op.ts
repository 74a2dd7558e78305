// Op definitions: an op is a name plus one meta function. The meta function validates the
// inputs and attributes (throwing typed errors) and returns the output shapes and dtypes. It is
// the only place an op validates: every backend's kernel and graph tracing rely on it.

import type { DType } from "../dtype.js";
import type { Tensor } from "../tensor.js";

export interface TensorSpec {
  readonly shape: readonly number[];
  readonly dtype: DType;
}

export interface OpDef<A = unknown> {
  /** The registry key, snake_case like torch's schema names ("npu_quant_conv2d"). */
  readonly name: string;
  meta(inputs: readonly (Tensor | null)[], attrs: A): TensorSpec[];
}

const ops = new Map<string, OpDef<never>>();

/** Declares an op. Its file in packages/tensor/src/ops/ is named after it (snake_case -> kebab-case). */
export function defineOp<A>(def: OpDef<A>): OpDef<A> {
  if (ops.has(def.name)) throw new Error(`op "${def.name}" is defined twice`);
  ops.set(def.name, def as OpDef<never>);
  return def;
}

/** Every op name, for docs and for checking a backend's coverage. */
export function definedOps(): string[] {
  return [...ops.keys()].sort();
}
