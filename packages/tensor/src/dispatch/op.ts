// Op definitions: an op is a name, its named inputs and one meta function. The meta function
// validates the inputs and attributes (throwing typed errors) and returns the output shapes and
// dtypes, plus optionally what it derived on the way (e.g. a conv's geometry), which kernels then
// receive instead of recomputing it. It is the only place an op validates: every backend's kernel
// and graph tracing rely on it. The op's handle carries the types of its inputs, attributes and
// derived value, so kernels registered against it (registry.ts) are typed.

import type { DType } from "../dtype.js";
import type { Tensor } from "../tensor.js";

export interface TensorSpec {
  readonly shape: readonly number[];
  readonly dtype: DType;
  /** A view's layout in its input's storage (as_strided only): traced views keep their real strides. */
  readonly strides?: readonly number[];
  readonly offset?: number;
}

/** What a meta function promises: one spec per output (every op has at least one). */
export type OutputSpecs = readonly [TensorSpec, ...TensorSpec[]];

/**
 * An input as declared in `defineOp({ inputs })`: "weight" (a tensor), "bias?" (a tensor or
 * null) or "tensors*" (variadic: an array of tensors, e.g. cat's).
 */
type BaseName<K extends string> = K extends `${infer B}?` ? B : K extends `${infer B}*` ? B : K;

/**
 * The inputs a caller passes and the meta function checks, by name: not validated yet, so each
 * may be null (or, from JavaScript, anything). Undeclared names are refused by the type.
 */
export type OpInputs<N extends readonly string[]> = {
  readonly [K in N[number] as BaseName<K>]: K extends `${string}*`
    ? readonly (Tensor | null)[] | null
    : string extends K
      ? AnyInput
      : Tensor | null;
};

/** One input as code that handles every op sees it: a tensor, null, or a variadic input's array. */
export type AnyInput = Tensor | null | readonly (Tensor | null)[];

/**
 * The inputs a kernel receives, by name, validated by the meta function: declared inputs are
 * tensors, optional ("name?") ones tensors or null. For an op known only by its name string,
 * every input may be null.
 */
export type KernelInputs<N extends readonly string[]> = string extends N[number]
  ? { readonly [name: string]: AnyInput }
  : {
      readonly [K in N[number] as BaseName<K>]: K extends `${string}?`
        ? Tensor | null
        : K extends `${string}*`
          ? readonly Tensor[]
          : Tensor;
    };

/** What a meta function found: the output specs and the value kernels reuse. */
export interface MetaResult<D> {
  readonly outputs: OutputSpecs;
  readonly derived: D;
}

/** An op without attributes. */
export type NoAttrs = Readonly<Record<string, never>>;

export interface OpDef<N extends readonly string[] = readonly string[], A = unknown, D = unknown> {
  /** The registry key, snake_case like torch's schema names ("npu_quant_conv2d"). */
  readonly name: string;
  /** The declared inputs, in schema order ("bias?" for an optional one). */
  readonly inputs: N;
  /** The input names without the "?" and "*" marks, in schema order. */
  readonly inputNames: readonly string[];
  meta(inputs: OpInputs<N>, attrs: A): MetaResult<D>;
}

/** Any op, for code that handles every op alike (the registry, graph nodes). */
export type AnyOpDef = OpDef<readonly string[], unknown, unknown>;

const ops = new Map<string, AnyOpDef>();

/**
 * Declares an op. Its file in packages/tensor/src/ops/ is named after it (snake_case ->
 * kebab-case). The attribute type comes from `meta`'s second parameter; `meta` returns the
 * output specs, or `{ outputs, derived }` to hand kernels what it derived.
 *
 * @example
 * export const matmulOp = defineOp({
 *   name: "matmul",
 *   inputs: ["self", "other"],
 *   meta: ({ self, other }) => { ...; return { outputs: [spec], derived: geometry }; },
 * });
 */
export function defineOp<const N extends readonly string[], A = NoAttrs, D = undefined>(def: {
  readonly name: string;
  readonly inputs: N;
  meta(inputs: OpInputs<N>, attrs: A): OutputSpecs | MetaResult<D>;
}): OpDef<N, A, D> {
  if (ops.has(def.name)) throw new Error(`op "${def.name}" is defined twice`);
  const meta = def.meta;
  const op: OpDef<N, A, D> = {
    name: def.name,
    inputs: def.inputs,
    inputNames: def.inputs.map((n) => n.replace(/[?*]$/, "")),
    meta: (inputs, attrs) => {
      const result = meta(inputs, attrs);
      return isSpecList(result) ? { outputs: result, derived: undefined as D } : result;
    },
  };
  ops.set(def.name, op as unknown as AnyOpDef);
  return op;
}

function isSpecList<D>(result: OutputSpecs | MetaResult<D>): result is OutputSpecs {
  return Array.isArray(result);
}

/** Every op name, for docs and for checking a backend's coverage. */
export function definedOps(): string[] {
  return [...ops.keys()].sort();
}
