// @tsnpu/backend-wasm: the "wasm" device. int8 SIMD kernels compiled from AssemblyScript
// (assembly/), run from one shared WebAssembly.Memory by the calling thread and optional
// worker threads (src/runtime/); tensors on the device live in that memory (storage.ts).
import "./register.js";

export { wasm } from "./wasm.js";
export { wasmBackend, ready, currentRuntime, shutdown } from "./backend.js";
export { WasmArena, WasmHeapStorage, WasmStorage } from "./storage.js";
export * from "./runtime/index.js";
