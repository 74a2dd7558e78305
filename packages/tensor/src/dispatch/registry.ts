// The kernel registry: kernels keyed by (op, backend). Lookup order in dispatch:
// the backend's kernel -> a device-agnostic kernel ("*": layout-only ops that work on any
// storage) -> the backend's fallback policy (copy to cpu with a one-time warning, if the user
// opted in) -> a KernelNotFoundError that says what to do.
//
// Kernels register against an op's handle (`registerKernel(npuQuantConv2dOp, "cpu", ...)`) and
// receive its inputs by name with their validated types, its attributes and what its meta
// function derived. Registering by op name (a string) is the same registry, untyped.

import type { Tensor } from "../tensor.js";
import type { AnyOpDef, KernelInputs, OpDef, OutputSpecs } from "./op.js";
import { TsnpuError } from "../errors.js";

/**
 * Runs an op on validated inputs. `outputs` are what the meta function promised; `derived` is
 * what it worked out on the way (e.g. the geometry of a convolution), not to be recomputed.
 */
export type KernelFn<N extends readonly string[] = readonly string[], A = unknown, D = unknown> = (
  inputs: KernelInputs<N>,
  attrs: A,
  outputs: OutputSpecs,
  derived: D,
) => Tensor[];

export interface Kernel<N extends readonly string[] = readonly string[], A = unknown, D = unknown> {
  run(inputs: KernelInputs<N>, attrs: A, outputs: OutputSpecs, derived: D): Tensor[];
  /**
   * Graph mode: called once per compiled graph node. Inputs known at compile time (weights,
   * scales) are concrete; the others are symbolic (`isSymbolic`: shape and dtype only). Returns
   * the kernel to use for this node, e.g. with weights already packed. Default: `run`.
   */
  prepare?(inputs: KernelInputs<N>, attrs: A, outputs: OutputSpecs, derived: D): KernelFn<N, A, D>;
  /**
   * Whether this kernel handles a call with these inputs and output specs (e.g. only some
   * dtypes). When false, the call is dispatched as if the backend had no kernel for the op:
   * the backend's fallback policy applies, else KernelNotFoundError. Default: every call.
   */
  supports?(inputs: KernelInputs<N>, outputs: OutputSpecs): boolean;
}

/** The kernel of an op handle's type. */
export type KernelOf<O> = O extends OpDef<infer N, infer A, infer D> ? Kernel<N, A, D> : never;

/** A kernel as the registry holds it: any op's. */
export type AnyKernel = Kernel<readonly string[], unknown, unknown>;

/** Backend name under which a kernel serves every device. */
export const ANY_BACKEND = "*";

const kernels = new Map<string, AnyKernel>();
const key = (op: string, backend: string) => `${op}\u0000${backend}`;

/**
 * Registers a kernel for (op, backend). The same kernel twice is a no-op; a different one for
 * the same (op, backend) throws.
 */
export function registerKernel<const N extends readonly string[], A, D>(
  op: OpDef<N, A, D>,
  backend: string,
  kernel: Kernel<N, A, D>,
): void;
/** Registers a kernel by op name: inputs by name, attributes and derived values untyped. */
export function registerKernel(op: string, backend: string, kernel: AnyKernel): void;
export function registerKernel(op: string | AnyOpDef, backend: string, kernel: AnyKernel): void {
  const name = typeof op === "string" ? op : op.name;
  const k = key(name, backend);
  const existing = kernels.get(k);
  if (existing === kernel) return;
  if (existing)
    throw new TsnpuError(
      `a different kernel for op "${name}" on backend "${backend}" is already registered`,
    );
  kernels.set(k, kernel);
}

/** The kernel for (op, backend), else the device-agnostic one, else undefined. */
export function findKernel<const N extends readonly string[], A, D>(
  op: OpDef<N, A, D>,
  backend: string,
): Kernel<N, A, D> | undefined;
export function findKernel(op: string, backend: string): AnyKernel | undefined;
export function findKernel(op: string | AnyOpDef, backend: string): AnyKernel | undefined {
  const name = typeof op === "string" ? op : op.name;
  return kernels.get(key(name, backend)) ?? kernels.get(key(name, ANY_BACKEND));
}

/** Ops that have a kernel registered for `backend` itself (not counting "*"). */
export function kernelsOf(backend: string): string[] {
  const suffix = `\u0000${backend}`;
  return [...kernels.keys()]
    .filter((k) => k.endsWith(suffix))
    .map((k) => k.slice(0, -suffix.length));
}

export type FallbackPolicy = "refuse" | "cpu";
const fallbacks = new Map<string, FallbackPolicy>();

/**
 * What happens when an op has no kernel on `backend`: "refuse" (the default) throws, "cpu"
 * copies the inputs to the cpu, runs the cpu kernel, copies the results back and warns once per op.
 */
export function setFallback(backend: string, policy: FallbackPolicy): void {
  fallbacks.set(backend, policy);
}
export function fallbackOf(backend: string): FallbackPolicy {
  return fallbacks.get(backend) ?? "refuse";
}
