// The "wasm" backend. Start-up is the one async step (compiling the module, starting worker
// threads): `await wasm.ready()`; every op after that is synchronous.

import { ArgumentError, TsnpuError, registerBackend, type Backend } from "@tsnpu/tensor";
import { WasmRuntime, type WasmRuntimeOptions } from "./runtime/index.js";
import { WasmStorage } from "./storage.js";

let runtime: WasmRuntime | null = null;
let starting: Promise<WasmRuntime> | null = null;

/**
 * Starts the wasm runtime once (later calls return the same one; options apply to the first).
 * `numThreads` defaults to min(hardware cores, 4); `wasm` / `wasmSingleThread` take a URL,
 * path or bytes of the kernel modules when a bundler does not serve them from the package.
 */
export function ready(options: WasmRuntimeOptions = {}): Promise<WasmRuntime> {
  starting ??= WasmRuntime.create(options).then(
    (rt) => (runtime = rt),
    (e: unknown) => {
      starting = null; // bad options or a failed start: a later ready() may try again
      throw e;
    },
  );
  return starting;
}

/** The started runtime; throws with what to do when `ready()` was not awaited. */
export function currentRuntime(): WasmRuntime {
  if (!runtime) throw new TsnpuError('the wasm backend is not started: `await wasm.ready()` (from "@tsnpu/backend-wasm" or "tsnpu") before using the "wasm" device');
  return runtime;
}

/** Stops the worker threads and forgets the runtime (tensors on it become unusable). */
export function shutdown(): void {
  runtime?.dispose();
  runtime = null;
  starting = null;
}

export const wasmBackend: Backend = {
  name: "wasm",
  allocate: (dtype, length, _device, zeroed = true) => new WasmStorage(currentRuntime(), dtype, length, zeroed),
  checkDevice: (device) => {
    if (device.index !== null && device.index !== 0) throw new ArgumentError("device", "device", '"wasm" or "wasm:0" (the only wasm device)', `"${device}", which does not exist`);
  },
};

registerBackend(wasmBackend);
