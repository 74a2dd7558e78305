// Tensor: a strided view (shape, strides, offset) of a storage on a device. This module is a
// leaf of the package's import graph (it never imports ops/ or the dispatcher), so that ops and
// the dispatcher can use Tensor at module load. The op methods (add, view, to, ...) are attached
// by ops/tensor-methods.ts, which src/index.ts loads.

import type { Device, DeviceLike } from "./device.js";
import { DType, dtypes, type DTypeName, type TypedArray } from "./dtype.js";
import { GraphTraceError, ArgumentError, describe } from "./errors.js";
import { readScalar, type Scalar } from "./numerics/elements.js";
import {
  contiguousStrides,
  forEachStrided,
  forEachStridedRow,
  isContiguous,
  numel,
  type Shape,
} from "./shape.js";
import type { Storage } from "./storage.js";
import { getBackend, resolveDevice } from "./dispatch/backend.js";
import { takePlannedOutput } from "./dispatch/planned-outputs.js";
import { formatTensor } from "./print.js";

export type NestedList = Scalar | NestedList[];

export class Tensor {
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  /** Element offset of this view into its storage. */
  readonly offset: number;
  readonly dtype: DType;
  readonly device: Device;
  readonly #storage: Storage | null;

  /** @internal Build tensors with the creation functions (`tensor`, `zeros`, ...) or views. */
  constructor(
    storage: Storage | null,
    shape: Shape,
    strides: readonly number[],
    offset: number,
    dtype: DType,
    device: Device,
  ) {
    this.#storage = storage;
    this.shape = Object.freeze([...shape]);
    this.strides = Object.freeze([...strides]);
    this.offset = offset;
    this.dtype = dtype;
    this.device = device;
  }

  /** A contiguous tensor over `storage`. */
  static fromStorage(storage: Storage, shape: Shape, device: Device): Tensor {
    return new Tensor(storage, shape, contiguousStrides(shape), 0, storage.dtype, device);
  }

  /** A new zero-filled contiguous tensor on `device`. */
  static empty(shape: Shape, dtype: DType, device: DeviceLike = "cpu"): Tensor {
    return allocateTensor(shape, dtype, device, true);
  }

  /**
   * A new contiguous tensor whose contents are undefined, for code that writes every element
   * (kernel outputs, copies): backends may skip the zero fill (on wasm, zeroing a 401 KB output cost 4-7 µs
   * per call and moved its cache lines to the calling thread's core).
   */
  static forOutput(shape: Shape, dtype: DType, device: DeviceLike): Tensor {
    // In a compiled graph's replay, the place the buffer planner gave this result.
    return takePlannedOutput(shape, dtype, device) ?? allocateTensor(shape, dtype, device, false);
  }

  /** @internal A tensor with shape, dtype and device but no data, used while tracing graphs. */
  static symbolic(shape: Shape, dtype: DType, device: Device): Tensor {
    return new Tensor(null, shape, contiguousStrides(shape), 0, dtype, device);
  }

  /** True for the data-less placeholders of graph tracing. */
  get isSymbolic(): boolean {
    return this.#storage === null;
  }

  /** The storage behind this view. Throws on symbolic tensors. */
  get storage(): Storage {
    if (!this.#storage) {
      throw new GraphTraceError(
        "this tensor is symbolic (graph tracing): its values are not known until the compiled graph runs; " +
          "data-dependent code (item, tolist, printing values) cannot be traced",
      );
    }
    return this.#storage;
  }

  get ndim(): number {
    return this.shape.length;
  }
  dim(): number {
    return this.shape.length;
  }
  numel(): number {
    return numel(this.shape);
  }
  /** The shape, or one dimension of it (negative counts from the end). */
  size(): number[];
  size(dim: number): number;
  size(dim?: number): number[] | number {
    if (dim === undefined) return [...this.shape];
    const d = dim < 0 ? dim + this.ndim : dim;
    if (!Number.isInteger(d) || d < 0 || d >= this.ndim)
      throw new ArgumentError(
        "size",
        "dim",
        `an integer in [${-this.ndim}, ${this.ndim - 1}]`,
        describe(dim),
      );
    return this.shape[d]!;
  }
  isContiguous(): boolean {
    return isContiguous(this.shape, this.strides);
  }

  // ---- data out -------------------------------------------------------------------------

  /**
   * The elements in row-major order as a new typed array (float16 gives the Uint16Array of its
   * bits, int64 a BigInt64Array, bool a Uint8Array of 0/1).
   */
  toTypedArray(): TypedArray {
    const out = this.dtype.allocate(this.numel());
    this.copyInto(out);
    return out;
  }

  /**
   * Writes the elements in row-major order into `out` (a typed array of this dtype's storage
   * type, e.g. another storage's `data`): one memcpy (TypedArray.set of a view) when this
   * tensor is contiguous, so reading a result costs one copy and no intermediate array.
   */
  copyInto(out: TypedArray): void {
    const src = this.storage.data;
    if (this.isContiguous()) {
      out.set(src.subarray(this.offset, this.offset + this.numel()) as never);
      return;
    }
    if (this.strides[this.ndim - 1] === 1) {
      // Dense rows: one memcpy per row (TypedArray.set of a view keeps every bit).
      const w = this.shape[this.ndim - 1]!;
      forEachStridedRow(this.shape, this.strides, this.offset, (base, k) => {
        out.set(src.subarray(base, base + w) as never, k);
      });
      return;
    }
    // Copied as integers of the same width: a float read into a JS number quiets signalling NaNs.
    const from = sameWidthBits(src);
    const to = sameWidthBits(out);
    forEachStrided(this.shape, this.strides, this.offset, (s, k) => {
      to[k] = from[s]!;
    });
  }

  /** The single value of a one-element tensor: boolean, bigint for int64, else number. */
  item(): Scalar {
    if (this.numel() !== 1)
      throw new ArgumentError("item", "self", "a tensor with exactly one element", describe(this));
    return readScalar(this.dtype, this.storage.data, this.offset);
  }

  /** Nested arrays of the values (see item() for the element types). */
  tolist(): NestedList {
    const flat = this.toTypedArray();
    const build = (dim: number, base: number): NestedList => {
      if (dim === this.ndim) return readScalar(this.dtype, flat, base);
      const inner = numel(this.shape.slice(dim + 1));
      return Array.from({ length: this.shape[dim]! }, (_, i) => build(dim + 1, base + i * inner));
    };
    return build(0, 0);
  }

  toString(): string {
    return formatTensor(this);
  }
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }

  /**
   * Frees this tensor's storage now (wasm memory, or the array of a cpu/npu tensor, with every
   * cache tied to it). Every view of the storage becomes unusable: using one throws
   * DisposedError. tidy() calls this for the tensors a scope made; without either, the memory
   * is returned when the storage is garbage-collected.
   */
  dispose(): void {
    this.#storage?.dispose();
  }
}

export function asDType(d: DType | DTypeName): DType {
  if (typeof d === "string") {
    const found = dtypes[d];
    if (!found)
      throw new ArgumentError(
        "dtype",
        "dtype",
        `one of ${Object.keys(dtypes).join(", ")}`,
        describe(d),
      );
    return found;
  }
  if (!(d instanceof DType))
    throw new ArgumentError(
      "dtype",
      "dtype",
      `a dtype or one of ${Object.keys(dtypes).join(", ")}`,
      describe(d),
    );
  return d;
}

function allocateTensor(shape: Shape, dtype: DType, device: DeviceLike, zeroed: boolean): Tensor {
  const d = resolveDevice(device);
  const backend = getBackend(d.type);
  backend.checkDevice?.(d);
  return Tensor.fromStorage(backend.allocate(dtype, numel(shape), d, zeroed), shape, d);
}

/** The same memory as unsigned integers of the element's width (floats' bit patterns). */
function sameWidthBits(a: TypedArray): { [index: number]: number | bigint } {
  if (a instanceof Float32Array) return new Uint32Array(a.buffer, a.byteOffset, a.length);
  if (a instanceof Float64Array) return new BigUint64Array(a.buffer, a.byteOffset, a.length);
  return a;
}
