// Reading and writing single elements of any dtype as JS values, with torch's casting rules:
// float -> int truncates toward zero and wraps; anything -> bool is `!= 0`; float16 rounds to
// nearest even through float32.

import type { DType, TypedArray } from "../dtype.js";
import { float16BitsToNumber, toFloat16Bits } from "./float16.js";

export type Scalar = number | bigint | boolean;

/** Element `i` as a JS number (int64 beyond 2^53 loses precision; use readScalar for exact values). */
export function readNumber(dtype: DType, data: TypedArray, i: number): number {
  switch (dtype.name) {
    case "float16":
      return float16BitsToNumber(data[i] as number);
    case "int64":
      return Number(data[i] as bigint);
    default:
      return data[i] as number;
  }
}

/** Element `i` as the JS value `item()`/`tolist()` give: boolean, bigint for int64, else number. */
export function readScalar(dtype: DType, data: TypedArray, i: number): Scalar {
  if (dtype.name === "bool") return data[i] !== 0;
  if (dtype.name === "int64") return data[i] as bigint;
  return readNumber(dtype, data, i);
}

/** Converts a JS number to int64 the way torch casts a double (truncate; non-finite -> INT64_MIN). */
export function numberToInt64(v: number): bigint {
  if (!Number.isFinite(v)) return -(1n << 63n);
  return BigInt.asIntN(64, BigInt(Math.trunc(v)));
}

/** Writes a JS value into element `i`, casting to the dtype. */
export function writeScalar(dtype: DType, data: TypedArray, i: number, v: Scalar): void {
  switch (dtype.name) {
    case "int64":
      (data as BigInt64Array)[i] =
        typeof v === "bigint" ? BigInt.asIntN(64, v) : numberToInt64(Number(v));
      return;
    case "bool":
      data[i] = (typeof v === "bigint" ? v !== 0n : v !== 0 && v !== false) ? 1 : 0; // NaN is true, as in torch
      return;
    case "float16":
      data[i] = toFloat16Bits(Number(v));
      return;
    default: {
      const n = Number(v);
      // Typed arrays truncate toward zero and wrap for integers, and give 0 for NaN: torch's cast.
      (data as Float64Array)[i] = dtype.kind === "int" && !Number.isFinite(n) ? 0 : n;
    }
  }
}
