// add, sub, mul and div over n contiguous elements, `b == 0` meaning the scalar operand. The cpu
// computes `a + alpha * b` / `a - alpha * b` / `a * b` / `a / b` in doubles and rounds once to
// float32 (float16 results go on through float32, as toFloat16Bits does). A float32 op on float32
// or float16 operands rounds the same (the double rounding is innocuous for + - * / of float32
// inputs), so only alphas other than 1 need the double lanes. NaN results follow V8 on x86: for
// add/mul the second operand's NaN (quieted) wins, then the first's; for sub/div the first's, then
// the second's; else what the hardware gives (inf - inf, 0 / 0).

import { f16FromNormal, f16NormalLanes, f32x4ToF16 } from "../f16";
import {
  BINARY_ADD, BINARY_AXPY, BINARY_DIV, BINARY_MUL, BINARY_SUB, BINARY_SUB_ALPHA, DTYPE_F16, DTYPE_F32, DTYPE_I32,
} from "../../src/abi";
import { anyNonFiniteF16, f16ToF32, quiet32, widenFiniteF16 } from "./lanes";

/** r with NaN lanes replaced: `first`'s NaN (quieted) wins over `second`'s. */
// @ts-ignore: decorator
@inline export function pickNaN32(r: v128, second: v128, first: v128): v128 {
  return v128.bitselect(quiet32(first), v128.bitselect(quiet32(second), r, f32x4.ne(second, second)), f32x4.ne(first, first));
}

/** Two float32 lanes (the low ones) as doubles: a +- alpha * b, rounded to float32 in the low lanes. */
// @ts-ignore: decorator
@inline function alphaDouble(op: i32, a: v128, b: v128, alpha: v128): v128 {
  const x = f64x2.promote_low_f32x4(a);
  const t = f64x2.mul(alpha, f64x2.promote_low_f32x4(b));
  // Promoted and computed NaNs are quiet already; only their precedence needs fixing.
  const r = op == BINARY_AXPY
    ? v128.bitselect(t, v128.bitselect(x, f64x2.add(x, t), f64x2.ne(x, x)), f64x2.ne(t, t))
    : v128.bitselect(x, v128.bitselect(t, f64x2.sub(x, t), f64x2.ne(t, t)), f64x2.ne(x, x));
  return f32x4.demote_f64x2_zero(r);
}

// @ts-ignore: decorator
@inline function floatLanes(op: i32, a: v128, b: v128, alpha: v128): v128 {
  if (op == BINARY_MUL) return pickNaN32(f32x4.mul(a, b), a, b);
  if (op == BINARY_ADD) return pickNaN32(f32x4.add(a, b), a, b);
  if (op == BINARY_SUB) return pickNaN32(f32x4.sub(a, b), b, a);
  if (op == BINARY_DIV) return pickNaN32(f32x4.div(a, b), b, a);
  const hi = alphaDouble(op, i32x4.shuffle(a, a, 2, 3, 2, 3), i32x4.shuffle(b, b, 2, 3, 2, 3), alpha);
  return i32x4.shuffle(alphaDouble(op, a, b, alpha), hi, 0, 1, 4, 5);
}

// @ts-ignore: decorator
@inline function floatLoop(op: i32, a: usize, b: usize, out: usize, n: i32, alpha: f64, scalar: f64): void {
  const al = f64x2.splat(alpha);
  const s = f32x4.splat(<f32>scalar);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const off = <usize>i << 2;
    v128.store(out + off, floatLanes(op, v128.load(a + off), b ? v128.load(b + off) : s, al));
  }
  for (; i < n; i++) {
    const off = <usize>i << 2;
    v128.store32_lane(out + off, floatLanes(op, v128.load32_splat(a + off), b ? v128.load32_splat(b + off) : s, al), 0);
  }
}

/** + - * / of float32 lanes, NaNs as the hardware makes them (callers rule NaN results out). */
// @ts-ignore: decorator
@inline function plainLanes(op: i32, a: v128, b: v128): v128 {
  if (op == BINARY_MUL) return f32x4.mul(a, b);
  if (op == BINARY_ADD) return f32x4.add(a, b);
  if (op == BINARY_SUB) return f32x4.sub(a, b);
  return f32x4.div(a, b);
}

/** float16 operands widen exactly to float32 (the scalar is float32 already, as the cpu keeps it). */
// @ts-ignore: decorator
@inline function halfLanes(op: i32, a: v128, b: v128, alpha: v128): v128 {
  return f32x4ToF16(floatLanes(op, f16ToF32(a), b, alpha));
}

// @ts-ignore: decorator
@inline function halfLoop(op: i32, a: usize, b: usize, out: usize, n: i32, alpha: f64, scalar: f64): void {
  const al = f64x2.splat(alpha);
  const s = f32x4.splat(<f32>scalar);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const off = <usize>i << 1;
    const x = v128.load(a + off);
    const y = b ? v128.load(b + off) : i32x4.splat(0);
    if (b && op != BINARY_AXPY && op != BINARY_SUB_ALPHA && !anyNonFiniteF16(x, y)) {
      // Finite operands and normal float16 results (no NaN to pick): the plain lanes.
      const lo = plainLanes(op, widenFiniteF16(i32x4.extend_low_i16x8_s(x)), widenFiniteF16(i32x4.extend_low_i16x8_s(y)));
      const hi = plainLanes(op, widenFiniteF16(i32x4.extend_high_i16x8_s(x)), widenFiniteF16(i32x4.extend_high_i16x8_s(y)));
      if (i32x4.all_true(v128.and(f16NormalLanes(lo), f16NormalLanes(hi)))) {
        v128.store(out + off, i16x8.narrow_i32x4_u(f16FromNormal(lo), f16FromNormal(hi)));
        continue;
      }
    }
    const lo = halfLanes(op, i32x4.extend_low_i16x8_u(x), b ? f16ToF32(i32x4.extend_low_i16x8_u(y)) : s, al);
    const hi = halfLanes(op, i32x4.extend_high_i16x8_u(x), b ? f16ToF32(i32x4.extend_high_i16x8_u(y)) : s, al);
    v128.store(out + off, i16x8.narrow_i32x4_u(lo, hi));
  }
  for (; i < n; i++) {
    const off = <usize>i << 1;
    const y = b ? f16ToF32(i32x4.splat(<i32>load<u16>(b + off))) : s;
    store<u16>(out + off, <u16>i32x4.extract_lane(halfLanes(op, i32x4.splat(<i32>load<u16>(a + off)), y, al), 0));
  }
}

/** int32: wrapping `a +- alpha * b` (alpha already reduced mod 2^32, as Math.imul does) or `a * b`. */
// @ts-ignore: decorator
@inline function intLoop(op: i32, a: usize, b: usize, out: usize, n: i32, alpha: i32, scalar: i32): void {
  const al = i32x4.splat(alpha);
  const s = i32x4.splat(scalar);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const off = <usize>i << 2;
    const x = v128.load(a + off);
    const y = b ? v128.load(b + off) : s;
    v128.store(out + off, op == BINARY_MUL ? i32x4.mul(x, y) : op == BINARY_SUB ? i32x4.sub(x, i32x4.mul(al, y)) : i32x4.add(x, i32x4.mul(al, y)));
  }
  for (; i < n; i++) {
    const off = <usize>i << 2;
    const x = load<i32>(a + off);
    const y = b ? load<i32>(b + off) : scalar;
    store<i32>(out + off, op == BINARY_MUL ? x * y : op == BINARY_SUB ? x - alpha * y : x + alpha * y);
  }
}

/** The float loop of `op` for float32 or float16 elements; `op` stays a constant in each call site. */
// @ts-ignore: decorator
@inline function floatOrHalfLoop(half: bool, op: i32, a: usize, b: usize, out: usize, n: i32, alpha: f64, scalar: f64): void {
  if (half) halfLoop(op, a, b, out, n, alpha, scalar);
  else floatLoop(op, a, b, out, n, alpha, scalar);
}

export function binary(op: i32, dtype: i32, a: usize, b: usize, out: usize, n: i32, alpha: f64, scalar: f64): void {
  if (dtype == DTYPE_I32) {
    if (op == BINARY_MUL) intLoop(BINARY_MUL, a, b, out, n, 0, <i32>scalar);
    else if (op == BINARY_SUB || op == BINARY_SUB_ALPHA) intLoop(BINARY_SUB, a, b, out, n, <i32>alpha, <i32>scalar);
    else intLoop(BINARY_ADD, a, b, out, n, <i32>alpha, <i32>scalar);
  } else if (dtype == DTYPE_F32 || dtype == DTYPE_F16) {
    const half = dtype == DTYPE_F16;
    if (op == BINARY_MUL) floatOrHalfLoop(half, BINARY_MUL, a, b, out, n, alpha, scalar);
    else if (op == BINARY_ADD) floatOrHalfLoop(half, BINARY_ADD, a, b, out, n, alpha, scalar);
    else if (op == BINARY_AXPY) floatOrHalfLoop(half, BINARY_AXPY, a, b, out, n, alpha, scalar);
    else if (op == BINARY_SUB) floatOrHalfLoop(half, BINARY_SUB, a, b, out, n, alpha, scalar);
    else if (op == BINARY_SUB_ALPHA) floatOrHalfLoop(half, BINARY_SUB_ALPHA, a, b, out, n, alpha, scalar);
    else floatOrHalfLoop(half, BINARY_DIV, a, b, out, n, alpha, scalar);
  }
}
