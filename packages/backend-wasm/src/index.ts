// @tsnpu/backend-wasm: int8 SIMD kernels compiled from AssemblyScript (assembly/), run from
// one shared WebAssembly.Memory by the calling thread and optional worker threads.
export * from "./runtime/index.js";
