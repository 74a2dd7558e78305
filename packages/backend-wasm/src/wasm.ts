// The `wasm` namespace: start-up and the compile backend of the "wasm" device.

import { getBackend, type Backend } from "@tsnpu/tensor";
import { currentRuntime, ready, shutdown } from "./backend.js";
import "./register.js";

export const wasm = {
  /** Starts the runtime once: `await wasm.ready({ numThreads })` before using the "wasm" device. */
  ready,
  /** The started runtime (threads, memory). */
  runtime: currentRuntime,
  /** Stops the worker threads. */
  shutdown,
  /** The compile backend for graph mode. */
  backend(): Backend {
    return getBackend("wasm");
  },
};
