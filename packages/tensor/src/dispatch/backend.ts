// Backends: one per device type. A backend allocates storage; its kernels live in the kernel
// registry (registry.ts). Third parties register a backend exactly the way ours do.

import { Device, type DeviceLike } from "../device.js";
import { dtypes, type DType } from "../dtype.js";
import { HostStorage, type Storage } from "../storage.js";
import { ArgumentError, TsnpuError, describe } from "../errors.js";
import { importAdvice } from "./backend-packages.js";
import type { Fusion } from "./fuse.js";
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
  /** The index an index-less device ("npu") means now, for backends with a current device (torch.npu.set_device). */
  currentIndex?(): number;
  /** Graph mode: whether `compile(..., { dynamic: true })` may target this backend (default true). */
  readonly supportsDynamicShapes?: boolean;
  /** Graph mode: refuse a traced graph before any call runs (e.g. a product's limits). */
  checkGraph?(nodes: readonly GraphNode[]): void;
  /** Graph mode: chains of ops this backend computes in one kernel (dispatch/fuse.ts). */
  readonly fusions?: readonly Fusion[];
  /**
   * Graph mode, optional: one block of `bytes` on `device` that a compiled graph carves into
   * its intermediates at planned offsets (the buffer planner, dispatch/buffer-plan.ts). Without
   * it, a replay allocates each intermediate as eager calls do.
   */
  allocateArena?(bytes: number, device: Device): StorageArena;
  /**
   * Optional: writes `values` into the float16 `storage` of this backend, rounded as the
   * float32 -> float16 cast rounds (`tensor(float32Array, { dtype: float16, device })`: a
   * device with a faster cast than the host's loop). Without it the host loop writes them.
   */
  writeFloat16?(storage: Storage, values: Float32Array): void;
}

/** A block of device memory holding a compiled graph's intermediates (Backend.allocateArena). */
export interface StorageArena {
  /**
   * A storage of `length` `dtype` elements at `byteOffset` in the block (a multiple of
   * ARENA_ALIGN). Its `dispose()` frees nothing: the arena owns the memory, and its owner (the
   * graph) reuses it on every replay.
   */
  storageAt(dtype: DType, byteOffset: number, length: number): Storage;
  /** Frees the block; the storages carved from it throw DisposedError from then on. Idempotent. */
  dispose(): void;
}

/** Alignment of the storages carved from an arena (bytes): SIMD rows start on cache lines. */
export const ARENA_ALIGN = 64;

const backends = new Map<string, Backend>();

/** Registers a backend. The same object twice is a no-op; another one under a taken name throws. */
export function registerBackend(backend: Backend): void {
  const existing = backends.get(backend.name);
  if (existing === backend) return;
  if (existing)
    throw new TsnpuError(`a different backend named "${backend.name}" is already registered`);
  backends.set(backend.name, backend);
}

/** The backend for a device type; throws a message saying which package registers it. */
export function getBackend(name: string): Backend {
  const b = backends.get(name);
  if (b) return b;
  const hint = importAdvice(name) ?? "register it with registerBackend()";
  throw new TsnpuError(`no backend is registered for device type "${name}": ${hint}`);
}

/**
 * The device a spec means now: "npu" becomes the backend's current device (npu:2 after
 * setDevice(2)), as torch does, so tensors report, compare and print their real device.
 */
export function resolveDevice(spec: DeviceLike): Device {
  const d = Device.of(spec);
  const current = d.index === null ? backends.get(d.type)?.currentIndex?.() : undefined;
  return current === undefined ? d : Device.of(`${d.type}:${current}`);
}

/**
 * resolveDevice() for a device the user asked for: one that names no backend and no package we
 * know of is refused as an argument (`to("int4")` is neither a device nor a dtype).
 */
export function targetDevice(
  op: string,
  argument: string,
  spec: DeviceLike,
  orDType = false,
): Device {
  const d = Device.of(spec);
  if (!backends.has(d.type) && importAdvice(d.type) === undefined) {
    const devices = `a device of a registered backend (${registeredBackends().join(", ")})`;
    throw new ArgumentError(
      op,
      argument,
      orDType ? `a dtype (${Object.keys(dtypes).join(", ")}) or ${devices}` : devices,
      `${describe(spec)}, which is ${orDType ? "neither" : "not"}`,
    );
  }
  return resolveDevice(d);
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
    if (device.index !== null && device.index !== 0)
      throw new ArgumentError(
        "device",
        "device",
        '"cpu" or "cpu:0" (the only cpu device)',
        `"${device}", which does not exist`,
      );
  },
};
registerBackend(cpuBackend);
