// Tensors on the "wasm" device live in the runtime's WebAssembly.Memory, so kernels hand
// pointers to wasm without copying. Memory is returned by dispose() or, as a safety net, when
// the storage object is garbage-collected.

import { TsnpuError, type DType, type Storage, type TypedArray } from "@tsnpu/tensor";
import type { WasmRuntime } from "./runtime/index.js";

type ViewCtor = new (buffer: ArrayBufferLike, byteOffset: number, length: number) => TypedArray;

const finalizer = new FinalizationRegistry<{ runtime: WasmRuntime; ptr: number }>(({ runtime, ptr }) => runtime.free(ptr));

export class WasmStorage implements Storage {
  #ptr: number;

  constructor(
    readonly runtime: WasmRuntime,
    readonly dtype: DType,
    readonly length: number,
    zeroed = true,
  ) {
    // At least one byte, so every storage has its own address.
    this.#ptr = runtime.alloc(Math.max(1, length * dtype.itemSize));
    if (zeroed) runtime.zero(this.#ptr, length * dtype.itemSize);
    finalizer.register(this, { runtime, ptr: this.#ptr }, this);
  }

  /** Byte address of element 0 in the runtime's memory. */
  get ptr(): number {
    if (this.#ptr < 0) throw new TsnpuError("this wasm tensor was disposed");
    return this.#ptr;
  }

  /** A fresh view each time: the memory may have grown (and moved) since the last one. */
  get data(): TypedArray {
    return new (this.dtype.arrayType as unknown as ViewCtor)(this.runtime.memory.buffer, this.ptr, this.length);
  }

  dispose(): void {
    if (this.#ptr < 0) return;
    finalizer.unregister(this);
    this.runtime.free(this.#ptr);
    this.#ptr = -1;
  }
}
