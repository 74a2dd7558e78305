// Storage: the elements behind one or more tensors. Every backend's storage exposes its
// elements as a host-visible typed array (`data`): plain memory for cpu and the simulated NPU's
// HBM, a view into WebAssembly memory for wasm. Layout-only work (views, copies, casts) can
// therefore be written once for all backends; math stays in each backend's kernels.
//
// Lifetime: dispose() frees the memory now (tidy() calls it for the tensors a scope made);
// after it every access throws DisposedError. `version` changes whenever the elements may have
// changed, so caches derived from them (a backend's packed weights) know when to rebuild.

import type { DType, TypedArray } from "./dtype.js";
import { DisposedError } from "./errors.js";
import { trackStorage } from "./scope.js";

export interface Storage {
  readonly dtype: DType;
  /** Number of elements. */
  readonly length: number;
  /**
   * The elements. May be a fresh view on each access (wasm memory can move): don't cache it
   * across ops. Each access counts as a possible write (bumps `version`).
   */
  readonly data: TypedArray;
  /** Changes whenever the elements may have been written (every `data` access). */
  readonly version: number;
  readonly isDisposed: boolean;
  /** Returns the memory now; later accesses throw DisposedError. Idempotent. */
  dispose(): void;
  /** Runs `release` once when this storage is disposed: for caches tied to its lifetime. */
  onDispose(release: () => void): void;
}

/** Version counting, disposal and dispose listeners, shared by every storage. */
export abstract class StorageBase implements Storage {
  #version = 0;
  #disposed = false;
  #listeners: (() => void)[] = [];

  abstract readonly dtype: DType;
  abstract readonly length: number;
  abstract readonly data: TypedArray;
  /** Frees the backend's memory (called once, by dispose). */
  protected abstract release(): void;

  constructor() {
    trackStorage(this);
  }

  get version(): number {
    return this.#version;
  }
  get isDisposed(): boolean {
    return this.#disposed;
  }

  /** Call before handing out the elements: throws once disposed, counts a possible write. */
  protected touch(): void {
    if (this.#disposed)
      throw new DisposedError(
        "this tensor was disposed (dispose(), tidy() or its module's dispose()); its data is gone",
      );
    this.#version++;
  }

  onDispose(release: () => void): void {
    if (this.#disposed) release();
    else this.#listeners.push(release);
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    const listeners = this.#listeners;
    this.#listeners = [];
    for (const l of listeners) l();
    this.release();
  }
}

/** Storage in ordinary JS memory. */
export class HostStorage extends StorageBase {
  #data: TypedArray;
  constructor(
    readonly dtype: DType,
    data: TypedArray,
  ) {
    super();
    this.#data = data;
  }
  get data(): TypedArray {
    this.touch();
    return this.#data;
  }
  get length(): number {
    return this.#data.length;
  }
  protected release(): void {
    this.#data = this.dtype.allocate(0); // the GC takes the elements now, not with the last view
  }
}
