// Tensors on the "wasm" device live in the runtime's WebAssembly.Memory, so kernels hand
// pointers to wasm without copying. Memory is returned by dispose() (directly, through tidy()
// or a module's dispose()) or, as a safety net only, when the storage is garbage-collected.
// A storage of a runtime that was shut down throws DisposedError: its memory is gone.

import { DisposedError, StorageBase, type DType, type TypedArray } from "@tsnpu/tensor";
import type { WasmRuntime } from "./runtime/index.js";

type ViewCtor = new (buffer: ArrayBufferLike, byteOffset: number, length: number) => TypedArray;

const finalizer = new FinalizationRegistry<{ runtime: WasmRuntime; ptr: number }>(
  ({ runtime, ptr }) => runtime.freeStorage(ptr),
);

export class WasmStorage extends StorageBase {
  #ptr: number;

  constructor(
    readonly runtime: WasmRuntime,
    readonly dtype: DType,
    readonly length: number,
    zeroed = true,
  ) {
    super();
    // At least one byte, so every storage has its own address.
    this.#ptr = runtime.allocStorage(Math.max(1, length * dtype.itemSize));
    if (zeroed) runtime.zero(this.#ptr, length * dtype.itemSize);
    finalizer.register(this, { runtime, ptr: this.#ptr }, this);
  }

  /** Byte address of element 0 in the runtime's memory (a possible write: bumps `version`). */
  get ptr(): number {
    this.touch();
    if (this.runtime.isDisposed) {
      throw new DisposedError(
        "this wasm tensor belongs to a runtime that was shut down (wasm.shutdown()); its memory is gone: create it again after wasm.ready()",
      );
    }
    return this.#ptr;
  }

  /** A fresh view each time: the memory may have grown (and moved) since the last one. */
  get data(): TypedArray {
    return new (this.dtype.arrayType as unknown as ViewCtor)(
      this.runtime.memory.buffer,
      this.ptr,
      this.length,
    );
  }

  protected release(): void {
    finalizer.unregister(this);
    if (!this.runtime.isDisposed) this.runtime.freeStorage(this.#ptr);
  }
}
