// The kernel registry: kernels keyed by (op, backend). Lookup order in dispatch:
// the backend's kernel -> a device-agnostic kernel ("*": layout-only ops that work on any
// storage) -> the backend's fallback policy (copy to cpu with a one-time warning, if the user
// opted in) -> a KernelNotFoundError that says what to do.

import type { Tensor } from "../tensor.js";
import type { TensorSpec } from "./op.js";
import { TsnpuError } from "../errors.js";

/** Runs an op on validated inputs. `outputs` are what the meta function promised. */
export type KernelFn<A = unknown> = (inputs: readonly (Tensor | null)[], attrs: A, outputs: readonly TensorSpec[]) => Tensor[];

export interface Kernel<A = unknown> {
  run: KernelFn<A>;
  /**
   * Graph mode: called once per compiled graph node. Inputs known at compile time (weights,
   * scales) are concrete; the others are symbolic (`isSymbolic`: shape and dtype only). Returns
   * the kernel to use for this node, e.g. with weights already packed. Default: `run`.
   */
  prepare?(inputs: readonly (Tensor | null)[], attrs: A, outputs: readonly TensorSpec[]): KernelFn<A>;
  /**
   * Whether this kernel handles a call with these inputs and output specs (e.g. only some
   * dtypes). When false, the call is dispatched as if the backend had no kernel for the op:
   * the backend's fallback policy applies, else KernelNotFoundError. Default: every call.
   */
  supports?(inputs: readonly (Tensor | null)[], outputs: readonly TensorSpec[]): boolean;
}

/** Backend name under which a kernel serves every device. */
export const ANY_BACKEND = "*";

const kernels = new Map<string, Kernel<never>>();
const key = (op: string, backend: string) => `${op}\u0000${backend}`;

/** Registers a kernel. The same kernel twice is a no-op; a different one for the same (op, backend) throws. */
export function registerKernel<A>(op: string, backend: string, kernel: Kernel<A>): void {
  const k = key(op, backend);
  const existing = kernels.get(k);
  if (existing === (kernel as Kernel<never>)) return;
  if (existing) throw new TsnpuError(`a different kernel for op "${op}" on backend "${backend}" is already registered`);
  kernels.set(k, kernel as Kernel<never>);
}

/** The kernel for (op, backend), else the device-agnostic one, else undefined. */
export function findKernel<A>(op: string, backend: string): Kernel<A> | undefined {
  return (kernels.get(key(op, backend)) ?? kernels.get(key(op, ANY_BACKEND))) as Kernel<A> | undefined;
}

/** Ops that have a kernel registered for `backend` itself (not counting "*"). */
export function kernelsOf(backend: string): string[] {
  const suffix = `\u0000${backend}`;
  return [...kernels.keys()].filter((k) => k.endsWith(suffix)).map((k) => k.slice(0, -suffix.length));
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
