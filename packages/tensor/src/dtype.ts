// Data types. Each dtype knows its storage array, item size and kind, and prints like torch
// (`torch.float16`). float16 has no native array on Node 20: its storage is a Uint16Array of
// IEEE binary16 bit patterns (see numerics/float16.ts); int64 uses BigInt64Array.

import { OutOfMemoryError } from "./errors.js";

/** V8's (Node, Chrome) largest typed array; a larger tensor gets an OutOfMemoryError naming it, not a RangeError. */
export const MAX_TYPED_ARRAY_LENGTH = 2 ** 32;

export type DTypeName =
  | "bool"
  | "uint8"
  | "int8"
  | "int16"
  | "int32"
  | "int64"
  | "float16"
  | "float32"
  | "float64";
export type DTypeKind = "bool" | "int" | "float";

export type TypedArray =
  | Uint8Array
  | Int8Array
  | Int16Array
  | Int32Array
  | BigInt64Array
  | Uint16Array
  | Float32Array
  | Float64Array;

type ArrayCtor = {
  new (length: number): TypedArray;
  readonly BYTES_PER_ELEMENT: number;
};

export class DType {
  /** @internal use the exported constants (`int8`, `float16`, ...). */
  constructor(
    readonly name: DTypeName,
    readonly kind: DTypeKind,
    readonly itemSize: number,
    /** The typed array that stores elements of this dtype. */
    readonly arrayType: ArrayCtor,
    /** Position in torch's promotion lattice within its kind (larger wins). */
    readonly rank: number,
  ) {}

  get isFloatingPoint(): boolean {
    return this.kind === "float";
  }
  get isSigned(): boolean {
    return this.name !== "uint8" && this.name !== "bool";
  }
  /** Allocates zero-filled storage for `length` elements; `op` is named if that is too much. */
  allocate(length: number, op = "allocate"): TypedArray {
    const bytes = length * this.itemSize;
    if (length > MAX_TYPED_ARRAY_LENGTH) {
      throw new OutOfMemoryError(
        op,
        bytes,
        MAX_TYPED_ARRAY_LENGTH * this.itemSize,
        `the JS engine's largest ${this.name} typed array, ${MAX_TYPED_ARRAY_LENGTH} elements`,
      );
    }
    try {
      return new this.arrayType(length);
    } catch (e) {
      // The engine could not reserve the memory: the request was within the length limit.
      if (e instanceof RangeError)
        throw new OutOfMemoryError(
          op,
          bytes,
          null,
          `the JS engine could not reserve them (${e.message})`,
        );
      throw e;
    }
  }
  toString(): string {
    return `torch.${this.name}`;
  }
  toJSON(): string {
    return this.name;
  }
}

export const bool = new DType("bool", "bool", 1, Uint8Array, 0);
export const uint8 = new DType("uint8", "int", 1, Uint8Array, 1);
export const int8 = new DType("int8", "int", 1, Int8Array, 1);
export const int16 = new DType("int16", "int", 2, Int16Array, 2);
export const int32 = new DType("int32", "int", 4, Int32Array, 3);
export const int64 = new DType("int64", "int", 8, BigInt64Array, 4);
export const float16 = new DType("float16", "float", 2, Uint16Array, 1);
export const float32 = new DType("float32", "float", 4, Float32Array, 2);
export const float64 = new DType("float64", "float", 8, Float64Array, 3);

export const dtypes: Readonly<Record<DTypeName, DType>> = {
  bool,
  uint8,
  int8,
  int16,
  int32,
  int64,
  float16,
  float32,
  float64,
};

/** torch's defaults: what a JS number / boolean becomes. */
export const defaultFloatDType = float32;
export const defaultIntDType = int64;

/**
 * torch's type promotion for two tensor operands: bool < integers < floating point; within
 * integers the wider type wins, and uint8 with a signed 8-bit type gives int16.
 */
export function promoteTypes(a: DType, b: DType): DType {
  if (a === b) return a;
  const order: Record<DTypeKind, number> = { bool: 0, int: 1, float: 2 };
  if (order[a.kind] !== order[b.kind]) return order[a.kind] > order[b.kind] ? a : b;
  if (a.kind === "int") {
    if ((a === uint8 && b === int8) || (a === int8 && b === uint8)) return int16;
    return a.rank >= b.rank ? a : b;
  }
  return a.rank >= b.rank ? a : b;
}
