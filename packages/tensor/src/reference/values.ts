// Moving values between tensors and plain arrays for the reference kernels. Kernels read their
// (possibly strided, possibly broadcast) inputs as row-major arrays, compute in JS numbers
// (bigints for int64) and build contiguous outputs; float16 is decoded to numbers on the way
// in and rounded back (through float32) on the way out.

import { Tensor } from "../tensor.js";
import { TsnpuError } from "../errors.js";
import { broadcastStrides } from "../shape.js";
import { cast } from "../ops/copy.js";
import { float16, int64, type DType, type TypedArray } from "../dtype.js";
import { float16BitsToNumber, toFloat16Bits } from "../numerics/float16.js";
import { full } from "../creation.js";
import { numberToInt64, type Scalar } from "../numerics/elements.js";
import type { TensorSpec } from "../dispatch/op.js";

export type NumberArray = Exclude<TypedArray, BigInt64Array>;

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** `t` read as if it had `shape` (broadcasting size-1 and missing leading dims); no copy. */
export function broadcastView(t: Tensor, shape: readonly number[]): Tensor {
  if (sameShape(t.shape, shape)) return t;
  return new Tensor(
    t.storage,
    shape,
    broadcastStrides(t.shape, t.strides, shape),
    t.offset,
    t.dtype,
    t.device,
  );
}

/** `t` as `dtype`, broadcast to `shape`: the raw row-major elements (float16 as bits). */
export function readRaw(t: Tensor, dtype: DType, shape: readonly number[] = t.shape): TypedArray {
  return broadcastView(cast(t, dtype), shape).toTypedArray();
}

/** Row-major values of `t` broadcast to `shape`, as numbers (float16 decoded). Not for int64. */
export function readNumbers(t: Tensor, shape: readonly number[] = t.shape): NumberArray {
  const raw = broadcastView(t, shape).toTypedArray() as NumberArray;
  return t.dtype === float16 ? mapNumbers(raw, float16BitsToNumber) : raw;
}

/** `fn` over `values` into a new Float64Array (a plain loop: TypedArray.from with a map function is several times slower). */
export function mapNumbers(
  values: ArrayLike<number>,
  fn: (v: number, k: number) => number,
): Float64Array {
  const out = new Float64Array(values.length);
  for (let k = 0; k < out.length; k++) out[k] = fn(values[k]!, k);
  return out;
}

/** Row-major values of `t` (cast to int64 when needed) broadcast to `shape`. */
export function readBigInts(t: Tensor, shape: readonly number[] = t.shape): BigInt64Array {
  return readRaw(t, int64, shape) as BigInt64Array;
}

/** A 0-d tensor holding `value` as `dtype` (how a JS scalar operand enters a kernel). */
export function scalarTensor(value: Scalar, dtype: DType): Tensor {
  return full([], value, { dtype });
}

/**
 * An operand that is a tensor or, when that is null, a JS scalar (attrs of binary ops, eq and
 * where): the scalar becomes a 0-d `dtype` tensor.
 */
export function operandTensor(t: Tensor | null, scalar: Scalar | null, dtype: DType): Tensor {
  return t ?? scalarTensor(operandScalar(scalar), dtype);
}

/** The JS scalar standing in for a missing tensor operand. */
export function operandScalar(scalar: Scalar | null): Scalar {
  // The op's meta function accepted the call, so a missing tensor operand has a scalar.
  if (scalar === null) throw new TsnpuError("an operand is neither a tensor nor a scalar");
  return scalar;
}

/** A JS scalar as an int64 element (bool -> 0/1, numbers truncated), as int64 kernels compute. */
export function scalarBigInt(value: Scalar): bigint {
  return readBigInts(scalarTensor(value, int64))[0]!;
}

/**
 * A JS scalar as the number a kernel computing in `dtype` uses: torch keeps float16 ops'
 * scalars in float32 (their compute type) and casts everything else to the dtype.
 */
export function scalarNumber(value: Scalar, dtype: DType): number {
  if (dtype === float16) return Math.fround(Number(value));
  return readNumbers(scalarTensor(value, dtype))[0]!;
}

/** A contiguous output holding `values` converted to spec.dtype (wrapping ints, rounding floats, bool = != 0). */
export function fromNumbers(
  values: ArrayLike<number>,
  spec: TensorSpec,
  device: Tensor["device"],
): Tensor {
  const out = Tensor.empty(spec.shape, spec.dtype, device);
  const data = out.storage.data;
  const n = values.length;
  switch (spec.dtype.name) {
    case "float16":
      for (let i = 0; i < n; i++) data[i] = toFloat16Bits(values[i]!);
      break;
    case "bool":
      for (let i = 0; i < n; i++) data[i] = values[i] !== 0 ? 1 : 0;
      break;
    case "int64":
      for (let i = 0; i < n; i++) data[i] = numberToInt64(values[i]!);
      break;
    default:
      // Typed-array stores wrap integers and round floats, like torch's casts.
      (data as NumberArray).set(values as never);
  }
  return out;
}

/** A contiguous output holding raw elements already in spec.dtype's storage format (bigints for int64). */
export function fromRaw(values: TypedArray, spec: TensorSpec, device: Tensor["device"]): Tensor {
  const out = Tensor.empty(spec.shape, spec.dtype, device);
  out.storage.data.set(values as never);
  return out;
}
