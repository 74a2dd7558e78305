// Layout ops with device-agnostic kernels: a contiguous copy and a dtype cast. They move data
// through each storage's host view, so every backend gets them for free.

import type { DType } from "../dtype.js";
import { Tensor } from "../tensor.js";
import { defineOp } from "../dispatch/op.js";
import { ANY_BACKEND, registerKernel } from "../dispatch/registry.js";
import { dispatch1 } from "../dispatch/dispatch.js";
import { readNumber, writeScalar } from "../numerics/elements.js";
import { float32BitsToFloat16Bits, float16BitsToNumber } from "../numerics/float16.js";
import { forEachStrided } from "../shape.js";

export const copyOp = defineOp<Record<string, never>>({
  name: "copy",
  meta: ([input]) => [{ shape: input!.shape, dtype: input!.dtype }],
});

registerKernel("copy", ANY_BACKEND, {
  run: ([input]) => {
    const out = Tensor.empty(input!.shape, input!.dtype, input!.device);
    out.storage.data.set(input!.toTypedArray() as never);
    return [out];
  },
});

/** A contiguous copy that shares nothing with the input. */
export function copy(input: Tensor): Tensor {
  return dispatch1(copyOp, [input], {});
}

export const contiguous = copy;
export const clone = copy;

export interface CastAttrs {
  readonly dtype: DType;
}

export const castOp = defineOp<CastAttrs>({
  name: "cast",
  meta: ([input], a) => [{ shape: input!.shape, dtype: a.dtype }],
});

const f32 = new Float32Array(1);
const f32Bits = new Uint32Array(f32.buffer);

registerKernel<CastAttrs>("cast", ANY_BACKEND, {
  run: ([input], { dtype }) => {
    const src = input!;
    const out = Tensor.empty(src.shape, dtype, src.device);
    const from = src.storage.data;
    const to = out.storage.data;
    const sd = src.dtype;
    if (dtype.name === "float16" && sd.kind === "float") {
      // float -> float16 rounds through float32, as torch does for float32 and (double rounding
      // is what the spec asks for the quant op) for float64.
      forEachStrided(src.shape, src.strides, src.offset, (s, k) => {
        f32[0] = sd.name === "float16" ? float16BitsToNumber(from[s] as number) : (from[s] as number);
        to[k] = float32BitsToFloat16Bits(f32Bits[0]!);
      });
    } else if (sd.name === "int64" || dtype.name === "int64" || dtype.name === "bool" || sd.name === "float16") {
      forEachStrided(src.shape, src.strides, src.offset, (s, k) => {
        writeScalar(dtype, to, k, sd.name === "int64" ? (from[s] as bigint) : readNumber(sd, from, s));
      });
    } else {
      // number -> number: typed-array assignment truncates, wraps and rounds like torch's casts.
      const intTarget = dtype.kind === "int";
      forEachStrided(src.shape, src.strides, src.offset, (s, k) => {
        const v = from[s] as number;
        to[k] = intTarget && !Number.isFinite(v) ? 0 : v;
      });
    }
    return [out];
  },
});

export function cast(input: Tensor, dtype: DType): Tensor {
  if (input.dtype === dtype) return input;
  return dispatch1(castOp, [input], { dtype });
}
