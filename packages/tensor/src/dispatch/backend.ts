// Backends: one per device type. A backend allocates storage; its kernels live in the kernel
// registry (registry.ts). Third parties register a backend exactly the way ours do.

import type { Device } from "../device.js";
import type { DType } from "../dtype.js";
import { HostStorage, type Storage } from "../storage.js";
import { TsnpuError } from "../errors.js";
import { importAdvice } from "./backend-packages.js";
import type { GraphNode } from "./trace.js";

export interface Backend {
  /** The device type it serves: "cpu", "wasm", "npu", ... */
  readonly name: string;
  /**
   * New storage for `length` elements of `dtype` on `device`, zero-filled unless `zeroed` is
   * false: then its contents are undefined, for callers that write every element (kernel
   * outputs), and a backend may skip the fill.
   */
  allocate(dtype: DType, length: number, device: Device, zeroed?: boolean): Storage;
  /** Throws when `device` (e.g. "npu:9") does not exist. */
  checkDevice?(device: Device): void;
  /** Graph mode: whether `compile(..., { dynamic: true })` may target this backend (default true). */
  readonly supportsDynamicShapes?: boolean;
  /** Graph mode: refuse a traced graph before any call runs (e.g. a product's limits). */
  checkGraph?(nodes: readonly GraphNode[]): void;
}

const backends = new Map<string, Backend>();

/** Registers a backend. The same object twice is a no-op; another one under a taken name throws. */
export function registerBackend(backend: Backend): void {
  const existing = backends.get(backend.name);
  if (existing === backend) return;
  if (existing) throw new TsnpuError(`a different backend named "${backend.name}" is already registered`);
  backends.set(backend.name, backend);
}

/** The backend for a device type; throws a message saying which package registers it. */
export function getBackend(name: string): Backend {
  const b = backends.get(name);
  if (b) return b;
  const hint = importAdvice(name) ?? "register it with registerBackend()";
  throw new TsnpuError(`no backend is registered for device type "${name}": ${hint}`);
}

export function registeredBackends(): string[] {
  return [...backends.keys()];
}

/**
 * The cpu device's storage is plain JS memory, so it is registered here: tensors can be created
 * and printed with @tsnpu/tensor alone. The cpu *kernels* come with @tsnpu/backend-cpu.
 */
export const cpuBackend: Backend = {
  name: "cpu",
  allocate: (dtype, length) => new HostStorage(dtype, dtype.allocate(length)),
  checkDevice: (device) => {
    if (device.index !== null && device.index !== 0) throw new TsnpuError(`device "${device}" does not exist: the cpu device has index 0 only`);
  },
};
registerBackend(cpuBackend);
