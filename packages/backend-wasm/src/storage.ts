// Tensors on the "wasm" device live in the runtime's WebAssembly.Memory, so kernels hand
// pointers to wasm without copying. Memory is returned by dispose() (directly, through tidy()
// or a module's dispose()) or, as a safety net only, when the storage is garbage-collected.
// A storage of a runtime that was shut down throws DisposedError: its memory is gone.
// A compiled graph's intermediates live in a WasmArena (one block per graph, carved at the
// offsets of tensor's buffer planner): their storages free nothing, the graph frees the block.

import {
  DisposedError,
  StorageBase,
  uint8,
  type DType,
  type StorageArena,
  type TypedArray,
} from "@tsnpu/tensor";
import type { WasmRuntime } from "./runtime/index.js";

type ViewCtor = new (buffer: ArrayBufferLike, byteOffset: number, length: number) => TypedArray;

const finalizer = new FinalizationRegistry<{ runtime: WasmRuntime; ptr: number }>(
  ({ runtime, ptr }) => runtime.freeStorage(ptr),
);

/** Elements at `ptr` in the runtime's memory: what every wasm kernel reads and writes. */
export abstract class WasmStorage extends StorageBase {
  abstract readonly runtime: WasmRuntime;
  /** The address, without the checks of `ptr`. */
  protected abstract readonly address: number;

  /** Byte address of element 0 in the runtime's memory (a possible write: bumps `version`). */
  get ptr(): number {
    this.touch();
    if (this.runtime.isDisposed) {
      throw new DisposedError(
        "this wasm tensor belongs to a runtime that was shut down (wasm.shutdown()); its memory is gone: create it again after wasm.ready()",
      );
    }
    return this.address;
  }

  /** A fresh view each time: the memory may have grown (and moved) since the last one. */
  get data(): TypedArray {
    return new (this.dtype.arrayType as unknown as ViewCtor)(
      this.runtime.memory.buffer,
      this.ptr,
      this.length,
    );
  }
}

/** A storage with its own block of the runtime's memory. */
export class WasmHeapStorage extends WasmStorage {
  protected readonly address: number;

  constructor(
    readonly runtime: WasmRuntime,
    readonly dtype: DType,
    readonly length: number,
    zeroed = true,
  ) {
    super();
    // At least one byte, so every storage has its own address.
    this.address = runtime.allocStorage(Math.max(1, length * dtype.itemSize));
    if (zeroed) runtime.zero(this.address, length * dtype.itemSize);
    finalizer.register(this, { runtime, ptr: this.address }, this);
  }

  protected release(): void {
    finalizer.unregister(this);
    if (!this.runtime.isDisposed) this.runtime.freeStorage(this.address);
  }
}

/** One block of the runtime's memory holding a compiled graph's intermediates. */
export class WasmArena implements StorageArena {
  readonly #block: WasmHeapStorage;

  constructor(runtime: WasmRuntime, bytes: number) {
    this.#block = new WasmHeapStorage(runtime, uint8, bytes, false);
  }

  storageAt(dtype: DType, byteOffset: number, length: number): WasmStorage {
    return new WasmArenaStorage(this.#block, dtype, byteOffset, length);
  }

  dispose(): void {
    this.#block.dispose();
  }
}

/** A window of a WasmArena: disposing it frees nothing (the arena's owner reuses the memory). */
class WasmArenaStorage extends WasmStorage {
  constructor(
    readonly block: WasmHeapStorage,
    readonly dtype: DType,
    readonly byteOffset: number,
    readonly length: number,
  ) {
    super();
  }

  get runtime(): WasmRuntime {
    return this.block.runtime;
  }

  /** Throws DisposedError once the arena is freed. */
  protected get address(): number {
    return this.block.ptr + this.byteOffset;
  }

  override dispose(): void {}

  protected release(): void {}
}
