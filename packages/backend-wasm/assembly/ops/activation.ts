// The float ops ONNX import needs (float16 and float32; schemas in tensor/src/ops/activation.ts,
// pow.ts, softmax.ts): each element read exactly as a double, computed with the binary64 math
// the cpu shares (float-math.ts), and rounded once to float32 (then float16) by storeRounded.
// Scalar loops: the binary64 polynomials would need f64x2 lanes, and the cpu's order of
// operations must stay exactly as it is.

import {
  FLOAT_EXP,
  FLOAT_HARDSIGMOID,
  FLOAT_HARDSWISH,
  FLOAT_LEAKY_RELU,
  FLOAT_SIGMOID,
  FLOAT_SQRT,
  FLOAT_TANH,
} from "../../src/abi";
import { exp64, hardsigmoid64, pow64, sigmoid64, tanh64 } from "./float-math";
import { elementSize, storeRounded, valueAt } from "./lanes";

// @ts-ignore: decorator
@inline function applyUnary(op: i32, x: f64, p0: f64, p1: f64): f64 {
  switch (op) {
    case FLOAT_EXP:
      return exp64(x);
    case FLOAT_SIGMOID:
      return sigmoid64(x);
    case FLOAT_TANH:
      return tanh64(x);
    case FLOAT_SQRT:
      return Math.sqrt(x);
    case FLOAT_HARDSWISH:
      return x * hardsigmoid64(x, 1.0 / 6.0, 0.5);
    case FLOAT_HARDSIGMOID:
      return hardsigmoid64(x, p0, p1);
    case FLOAT_LEAKY_RELU:
      return x < 0 ? x * p0 : x;
    default:
      return NaN;
  }
}

/** FLOAT_* op of n elements at src into dst; p0, p1: hardsigmoid's alpha and beta, leaky_relu's slope. */
export function floatUnary(op: i32, dtype: i32, src: usize, dst: usize, n: i32, p0: f64, p1: f64): void {
  const size = elementSize(dtype);
  for (let i = 0; i < n; i++) storeRounded(dtype, dst + <usize>i * size, applyUnary(op, valueAt(dtype, src, i), p0, p1));
}

/** pow of n elements at a by those at b, or by `scalar` when b is 0. */
export function pow(dtype: i32, a: usize, b: usize, out: usize, n: i32, scalar: f64): void {
  const size = elementSize(dtype);
  for (let i = 0; i < n; i++) {
    const y = b ? valueAt(dtype, b, i) : scalar;
    storeRounded(dtype, out + <usize>i * size, pow64(valueAt(dtype, a, i), y));
  }
}

/** prelu of n elements at a with the (broadcast) weights at w. */
export function prelu(dtype: i32, a: usize, w: usize, out: usize, n: i32): void {
  const size = elementSize(dtype);
  for (let i = 0; i < n; i++) {
    const x = valueAt(dtype, a, i);
    storeRounded(dtype, out + <usize>i * size, x < 0 ? x * valueAt(dtype, w, i) : x);
  }
}

// @ts-ignore: decorator
@inline function softmaxTerm(dtype: i32, src: usize, k: i32, max: f64): f32 {
  return <f32>exp64(<f64>(<f32>(valueAt(dtype, src, k) - max)));
}

/**
 * softmax over `size` elements `inner` apart, for outer * inner rows: the cpu's max, float32
 * sum in index order and float32 quotient (the exp terms are computed again for the quotients).
 */
export function softmax(dtype: i32, src: usize, dst: usize, outer: i32, size: i32, inner: i32): void {
  const bytes = elementSize(dtype);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * size * inner + i;
      let max: f64 = -Infinity;
      for (let j = 0; j < size; j++) {
        const v = valueAt(dtype, src, base + j * inner);
        if (v > max) max = v;
      }
      let sum: f32 = 0;
      for (let j = 0; j < size; j++) sum = sum + softmaxTerm(dtype, src, base + j * inner, max);
      for (let j = 0; j < size; j++) {
        const k = base + j * inner;
        storeRounded(dtype, dst + <usize>k * bytes, <f64>(softmaxTerm(dtype, src, k, max) / sum));
      }
    }
  }
}

/**
 * where: n elements of `bytes` each from a where cond (bytes, 0 or 1) is set, else from b.
 * quiet: float32 elements, whose NaNs the cpu's JS read quiets.
 */
export function where(bytes: i32, cond: usize, a: usize, b: usize, out: usize, n: i32, quiet: i32): void {
  for (let i = 0; i < n; i++) {
    const from = load<u8>(cond + <usize>i) ? a : b;
    const off = <usize>i * <usize>bytes;
    if (bytes == 1) store<u8>(out + off, load<u8>(from + off));
    else if (bytes == 2) store<u16>(out + off, load<u16>(from + off));
    else if (bytes == 8) store<u64>(out + off, load<u64>(from + off));
    else {
      let v = load<u32>(from + off);
      if (quiet && (v & 0x7fffffff) > 0x7f800000) v |= 0x400000;
      store<u32>(out + off, v);
    }
  }
}
