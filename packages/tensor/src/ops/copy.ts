// Layout ops with device-agnostic kernels: a contiguous copy and a dtype cast. They move data
// through each storage's host view, so every backend gets them for free.

import { DType, type TypedArray } from "../dtype.js";
import { ArgumentError, describe } from "../errors.js";
import { Tensor } from "../tensor.js";
import { defineOp } from "../dispatch/op.js";
import { ANY_BACKEND, registerKernel } from "../dispatch/registry.js";
import { dispatch1 } from "../dispatch/dispatch.js";
import { readNumber, writeScalar } from "../numerics/elements.js";
import {
  float16BitsToFloat32Array,
  float32ArrayToFloat16Bits,
  toFloat16Bits,
} from "../numerics/float16.js";
import { forEachStrided } from "../shape.js";
import { expectTensor } from "./checks.js";

export const copyOp = defineOp({
  name: "copy",
  inputs: ["input"],
  meta: ({ input }) => {
    const t = expectTensor("copy", "input", input);
    return [{ shape: t.shape, dtype: t.dtype }];
  },
});

registerKernel(copyOp, ANY_BACKEND, {
  run: ({ input }) => {
    const out = Tensor.forOutput(input.shape, input.dtype, input.device);
    input.copyInto(out.storage.data);
    return [out];
  },
});

/** A contiguous copy that shares nothing with the input. */
export function copy(input: Tensor): Tensor {
  return dispatch1(copyOp, { input }, {});
}

export const contiguous = copy;
export const clone = copy;

export interface CastAttrs {
  readonly dtype: DType;
}

export const castOp = defineOp({
  name: "cast",
  inputs: ["input"],
  meta: ({ input }, a: CastAttrs) => {
    if (!(a.dtype instanceof DType))
      throw new ArgumentError("cast", "dtype", "a DType (int8, float16, ...)", describe(a.dtype));
    return [{ shape: expectTensor("cast", "input", input).shape, dtype: a.dtype }];
  },
});

/**
 * The cast kernel's work, without dispatch: a contiguous `dtype` copy of `src`, read through its
 * host view. The reference kernels cast their operands with it, so a cast inside an op is part
 * of that op on every device (not a separately dispatched, profiled or saturated op).
 */
export function castOnHost(src: Tensor, dtype: DType): Tensor {
  const out = Tensor.forOutput(src.shape, dtype, src.device);
  const from = src.storage.data;
  const to = out.storage.data;
  const sd = src.dtype;
  if (src.isContiguous() && castContiguousFloats(sd, from, src.offset, dtype, to, out.numel()))
    return out;
  if (dtype.name === "float16") {
    // Every source goes through float32 first, as torch's Half(float(x)) does.
    forEachStrided(src.shape, src.strides, src.offset, (s, k) => {
      to[k] = toFloat16Bits(readNumber(sd, from, s));
    });
  } else if (
    sd.name === "int64" ||
    sd.name === "float16" ||
    dtype.name === "int64" ||
    dtype.name === "bool"
  ) {
    forEachStrided(src.shape, src.strides, src.offset, (s, k) => {
      writeScalar(
        dtype,
        to,
        k,
        sd.name === "int64" ? (from[s] as bigint) : readNumber(sd, from, s),
      );
    });
  } else {
    // number -> number: typed-array assignment truncates, wraps and rounds like torch's casts.
    const intTarget = dtype.kind === "int";
    forEachStrided(src.shape, src.strides, src.offset, (s, k) => {
      const v = from[s] as number;
      to[k] = intTarget && !Number.isFinite(v) ? 0 : v;
    });
  }
  return out;
}

/**
 * The float32 <-> float16 casts of contiguous data in one tight loop each (what uploading a
 * float32 input as float16 costs); false for other casts.
 */
function castContiguousFloats(
  sd: DType,
  from: TypedArray,
  offset: number,
  dtype: DType,
  to: TypedArray,
  n: number,
): boolean {
  if (sd.name === "float32" && dtype.name === "float16")
    float32ArrayToFloat16Bits(from as Float32Array, offset, to as Uint16Array, 0, n);
  else if (sd.name === "float16" && dtype.name === "float32")
    float16BitsToFloat32Array(from as Uint16Array, offset, to as Float32Array, 0, n);
  else return false;
  return true;
}

registerKernel(castOp, ANY_BACKEND, {
  run: ({ input }, { dtype }) => [castOnHost(input, dtype)],
});

export function cast(input: Tensor, dtype: DType): Tensor {
  if (input.dtype === dtype) return input;
  return dispatch1(castOp, { input }, { dtype });
}
