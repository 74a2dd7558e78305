// The `wasm` namespace: start-up and the compile backend of the "wasm" device.

import { getBackend, type Backend } from "@tsnpu/tensor";
import { currentRuntime, ready, shutdown } from "./backend.js";
import type { WasmMemoryReport } from "./runtime/index.js";
import "./register.js";

export const wasm = {
  /** Starts the runtime once: `await wasm.ready({ numThreads })` before using the "wasm" device. */
  ready,
  /** The started runtime (threads, memory). */
  runtime: currentRuntime,
  /**
   * As torch.set_num_threads: the threads each QuantConv2d call may use, from 1 to the
   * `numThreads` started by `ready()` (the default). Results are the same for every count.
   */
  setNumThreads(n: number): void {
    currentRuntime().setThreadsPerCall(n);
  },
  /** As torch.get_num_threads: the threads each QuantConv2d call may use. */
  getNumThreads(): number {
    return currentRuntime().threadsPerCall;
  },
  /**
   * Where the runtime's memory goes: heap size, bytes allocated, live tensors, packed weights.
   * Flat numbers across a loop mean nothing leaks (free with tidy() and dispose()).
   */
  memory(): WasmMemoryReport {
    return currentRuntime().memoryReport();
  },
  /** Stops the worker threads; tensors of the runtime throw DisposedError afterwards. */
  shutdown,
  /** The compile backend for graph mode. */
  backend(): Backend {
    return getBackend("wasm");
  },
};
