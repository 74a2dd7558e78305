// Storage: the elements behind one or more tensors. Every backend's storage exposes its
// elements as a host-visible typed array (`data`): plain memory for cpu and the simulated NPU's
// HBM, a view into WebAssembly memory for wasm. Layout-only work (views, copies, casts) can
// therefore be written once for all backends; math stays in each backend's kernels.

import type { DType, TypedArray } from "./dtype.js";

export interface Storage {
  readonly dtype: DType;
  /** Number of elements. */
  readonly length: number;
  /** The elements. May be a fresh view on each access (wasm memory can move): don't cache it across ops. */
  readonly data: TypedArray;
  /** Returns the memory now (backends whose memory the GC does not manage, e.g. wasm). */
  dispose?(): void;
}

/** Storage in ordinary JS memory. */
export class HostStorage implements Storage {
  constructor(
    readonly dtype: DType,
    readonly data: TypedArray,
  ) {}
  get length(): number {
    return this.data.length;
  }
}
