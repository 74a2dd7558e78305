// The "wasm" backend. Start-up is the one async step (compiling the module, starting worker
// threads): `await wasm.ready()`; every op after that is synchronous.

import {
  ArgumentError,
  TsnpuError,
  describe,
  float32,
  registerBackend,
  type Backend,
} from "@tsnpu/tensor";
import { WasmRuntime, checkRuntimeOptions, type WasmRuntimeOptions } from "./runtime/index.js";
import { WasmArena, WasmHeapStorage, type WasmStorage } from "./storage.js";
import { wasmFusions } from "./fusions.js";

let runtime: WasmRuntime | null = null;
let starting: Promise<WasmRuntime> | null = null;
/** The numThreads the running (or starting) runtime was asked for; null: the default. */
let requestedThreads: number | null = null;

/**
 * Starts the wasm runtime once (later calls return the same one; options apply to the first).
 * `numThreads` defaults to min(hardware cores, 4); `wasm` / `wasmSingleThread` take a URL,
 * path or bytes of the kernel modules when a bundler does not serve them from the package.
 * A later call asking for another `numThreads` rejects with an ArgumentError: change the
 * threads per call with wasm.setNumThreads, or wasm.shutdown() and start again.
 */
export function ready(options: WasmRuntimeOptions = {}): Promise<WasmRuntime> {
  try {
    checkRuntimeOptions(options);
  } catch (e) {
    return Promise.reject(e);
  }
  const wanted = options.numThreads ?? null;
  if (!starting) {
    requestedThreads = wanted;
    const started = WasmRuntime.create(options).then(
      (rt) => (runtime = rt),
      (e: unknown) => {
        if (starting === started) starting = null; // bad options or a failed start: a later ready() may try again
        throw e;
      },
    );
    starting = started;
    return started;
  }
  if (wanted === null || wanted === requestedThreads) return starting;
  const asked = requestedThreads;
  return starting.then((rt) => {
    if (asked === null && wanted === rt.numThreads) return rt;
    throw new ArgumentError(
      "wasm.ready",
      "numThreads",
      `${asked ?? rt.numThreads} (the runtime is already started with it): use wasm.setNumThreads(n) for fewer threads per call, or wasm.shutdown() before ready() with another count`,
      describe(wanted),
    );
  });
}

/** The started runtime; throws with what to do when `ready()` was not awaited. */
export function currentRuntime(): WasmRuntime {
  if (!runtime)
    throw new TsnpuError(
      'the wasm backend is not started: `await wasm.ready()` (from "@tsnpu/backend-wasm" or "tsnpu") before using the "wasm" device',
    );
  return runtime;
}

/** Stops the worker threads and forgets the runtime (tensors on it become unusable). */
export function shutdown(): void {
  runtime?.dispose();
  runtime = null;
  starting = null;
  requestedThreads = null;
}

export const wasmBackend: Backend = {
  name: "wasm",
  fusions: wasmFusions,
  allocate: (dtype, length, _device, zeroed = true) =>
    new WasmHeapStorage(currentRuntime(), dtype, length, zeroed),
  allocateArena: (bytes) => new WasmArena(currentRuntime(), bytes),
  writeFloat16: (storage, values) => {
    // The float32 values into wasm memory (one copy), then the SIMD conversion.
    const rt = currentRuntime();
    const wide = new WasmHeapStorage(rt, float32, values.length, false);
    try {
      (wide.data as Float32Array).set(values);
      rt.float32ToFloat16(wide.ptr, (storage as WasmStorage).ptr, values.length);
    } finally {
      wide.dispose();
    }
  },
  checkDevice: (device) => {
    if (device.index !== null && device.index !== 0)
      throw new ArgumentError(
        "device",
        "device",
        '"wasm" or "wasm:0" (the only wasm device)',
        `"${device}", which does not exist`,
      );
  },
};

registerBackend(wasmBackend);
