// matmul of contiguous float16/float32 [batches, n, k] x [batches, k, m] (a batch stride of 0
// reuses one matrix), as the cpu kernel: per output element, acc = +0, then acc + x[i][p] *
// y[p][j] in doubles for p ascending (a mul and an add, no fma), rounded once on store: to
// float32, and float16 through float32 as the cpu's toFloat16Bits. NaNs: operands widen
// quiet (as the cpu reads them); when both operands of an op are NaN the cpu (V8 on x86)
// returns the second, which the exact path enforces. Without NaN operands every NaN is the
// hardware's default NaN, so the fast path needs no fix-up.

import { f32x4ToF16 } from "../f16";
import { DTYPE_F16, DTYPE_F32 } from "../../src/abi";
import { f16ToF32 } from "./lanes";

/** `n` elements at `ptr` hold a NaN. */
function hasNaN(dtype: i32, ptr: usize, n: i32): bool {
  let i = 0;
  let any = i32x4.splat(0);
  if (dtype == DTYPE_F32) {
    for (; i + 4 <= n; i += 4) {
      any = v128.or(any, i32x4.gt_s(v128.and(v128.load(ptr + (<usize>i << 2)), i32x4.splat(0x7fffffff)), i32x4.splat(0x7f800000)));
    }
    for (; i < n; i++) if ((load<u32>(ptr + (<usize>i << 2)) & 0x7fffffff) > 0x7f800000) return true;
  } else {
    for (; i + 8 <= n; i += 8) {
      any = v128.or(any, i16x8.gt_s(v128.and(v128.load(ptr + (<usize>i << 1)), i16x8.splat(0x7fff)), i16x8.splat(0x7c00)));
    }
    for (; i < n; i++) if ((load<u16>(ptr + (<usize>i << 1)) & 0x7fff) > 0x7c00) return true;
  }
  return v128.any_true(any);
}

/** acc + x * y on two double lanes; `exact`: a NaN y wins the mul, a NaN product wins the add. */
// @ts-ignore: decorator
@inline function step(acc: v128, x: v128, y: v128, exact: bool): v128 {
  if (!exact) return f64x2.add(acc, f64x2.mul(x, y));
  const t = v128.bitselect(y, f64x2.mul(x, y), f64x2.ne(y, y));
  return v128.bitselect(t, f64x2.add(acc, t), f64x2.ne(t, t));
}

/** Element `p` (of float32s or float16 bits at `ptr`) in both double lanes. */
// @ts-ignore: decorator
@inline function splatAt(dtype: i32, ptr: usize, p: i32): v128 {
  if (dtype == DTYPE_F32) return f64x2.promote_low_f32x4(v128.load32_splat(ptr + (<usize>p << 2)));
  return f64x2.promote_low_f32x4(f16ToF32(i32x4.splat(<i32>load<u16>(ptr + (<usize>p << 1)))));
}

/** `cols` (4, 2 or 1) elements at `ptr` as float32 lanes; lanes past `cols` are never stored. */
// @ts-ignore: decorator
@inline function loadF32(dtype: i32, ptr: usize, cols: i32): v128 {
  if (dtype == DTYPE_F32) return cols == 4 ? v128.load(ptr) : cols == 2 ? v128.load64_zero(ptr) : v128.load32_zero(ptr);
  const h = cols == 4 ? v128.load64_zero(ptr) : cols == 2 ? v128.load32_zero(ptr) : i32x4.splat(<i32>load<u16>(ptr));
  return f16ToF32(cols == 1 ? h : i32x4.extend_low_i16x8_u(h));
}

/** Two double lanes (low, high) rounded to float32 and stored as `cols` (4, 2 or 1) elements. */
// @ts-ignore: decorator
@inline function storeRounded(dtype: i32, ptr: usize, lo: v128, hi: v128, cols: i32): void {
  const r = cols == 4 ? i32x4.shuffle(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5) : f32x4.demote_f64x2_zero(lo);
  if (dtype == DTYPE_F32) {
    if (cols == 4) v128.store(ptr, r);
    else if (cols == 2) v128.store64_lane(ptr, r, 0);
    else v128.store32_lane(ptr, r, 0);
  } else {
    const h = f32x4ToF16(r);
    const packed = i16x8.narrow_i32x4_u(h, h);
    if (cols == 4) v128.store64_lane(ptr, packed, 0);
    else if (cols == 2) v128.store32_lane(ptr, packed, 0);
    else v128.store16_lane(ptr, packed, 0);
  }
}

/** One output row's columns j0 .. j0 + 8 (two groups of 4, `quads` = 2) or j0 .. j0 + cols (quads = 0). */
// @ts-ignore: decorator
@inline function block(dtype: i32, exact: bool, x: usize, y: usize, out: usize, k: i32, m: i32, j0: i32, cols: i32): void {
  const size: usize = dtype == DTYPE_F32 ? 4 : 2;
  const rowBytes = <usize>m * size;
  let a0 = f64x2.splat(0);
  let a1 = f64x2.splat(0);
  let a2 = f64x2.splat(0);
  let a3 = f64x2.splat(0);
  let py = y + <usize>j0 * size;
  for (let p = 0; p < k; p++) {
    const xp = splatAt(dtype, x, p);
    if (cols == 8) {
      const u = loadF32(dtype, py, 4);
      const v = loadF32(dtype, py + 4 * size, 4);
      a0 = step(a0, xp, f64x2.promote_low_f32x4(u), exact);
      a1 = step(a1, xp, f64x2.promote_low_f32x4(i32x4.shuffle(u, u, 2, 3, 2, 3)), exact);
      a2 = step(a2, xp, f64x2.promote_low_f32x4(v), exact);
      a3 = step(a3, xp, f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 2, 3)), exact);
    } else {
      a0 = step(a0, xp, f64x2.promote_low_f32x4(loadF32(dtype, py, cols)), exact);
    }
    py += rowBytes;
  }
  const o = out + <usize>j0 * size;
  if (cols == 8) {
    storeRounded(dtype, o, a0, a1, 4);
    storeRounded(dtype, o + 4 * size, a2, a3, 4);
  } else {
    storeRounded(dtype, o, a0, a0, cols);
  }
}

// @ts-ignore: decorator
@inline function matmulLoop(
  dtype: i32, exact: bool, a: usize, b: usize, out: usize, batches: i32, n: i32, k: i32, m: i32, aStride: i32, bStride: i32,
): void {
  const size: usize = dtype == DTYPE_F32 ? 4 : 2;
  for (let t = 0; t < batches; t++) {
    const y = b + <usize>t * <usize>bStride * size;
    for (let i = 0; i < n; i++) {
      const x = a + (<usize>t * <usize>aStride + <usize>i * <usize>k) * size;
      const o = out + (<usize>t * <usize>n + <usize>i) * <usize>m * size;
      let j = 0;
      for (; j + 8 <= m; j += 8) block(dtype, exact, x, y, o, k, m, j, 8);
      for (; j + 2 <= m; j += 2) block(dtype, exact, x, y, o, k, m, j, 2);
      if (j < m) block(dtype, exact, x, y, o, k, m, j, 1);
    }
  }
}

/** aStride / bStride: elements between batches (0: one matrix for every batch). */
export function matmul(dtype: i32, a: usize, b: usize, out: usize, batches: i32, n: i32, k: i32, m: i32, aStride: i32, bStride: i32): void {
  const exact = hasNaN(dtype, a, (aStride ? batches : 1) * n * k) || hasNaN(dtype, b, (bStride ? batches : 1) * k * m);
  if (dtype == DTYPE_F32) {
    if (exact) matmulLoop(DTYPE_F32, true, a, b, out, batches, n, k, m, aStride, bStride);
    else matmulLoop(DTYPE_F32, false, a, b, out, batches, n, k, m, aStride, bStride);
  } else {
    if (exact) matmulLoop(DTYPE_F16, true, a, b, out, batches, n, k, m, aStride, bStride);
    else matmulLoop(DTYPE_F16, false, a, b, out, batches, n, k, m, aStride, bStride);
  }
}
