// The WebAssembly shapes the public API names, declared here instead of taken from the DOM lib:
// a Node project compiled with `lib: ["es2022"]` has no WebAssembly, BufferSource or Response
// types, and the published declarations must compile there (test: tooling/consumers/types).

/** A compiled `WebAssembly.Module` (opaque: the API only hands it to WebAssembly). */
export type WasmModule = object;

/** The parts of a `WebAssembly.Memory` the runtime exposes. */
export interface WasmMemory {
  /** The memory's current buffer (a SharedArrayBuffer when threads share it); replaced when it grows. */
  readonly buffer: ArrayBufferLike;
  /** Grows the memory by `deltaPages` 64 KiB pages; returns the previous size in pages. */
  grow(deltaPages: number): number;
}

/** Where the kernels come from: a URL (or URL string, or a file path in Node), the bytes, or a compiled module. */
export type WasmSource = URL | string | ArrayBuffer | ArrayBufferView | WasmModule;
