// The ops kernels of the module (assembly/ops/, f16.ts) as methods: WasmRuntime extends this.
// Pointers are byte offsets into the runtime's memory; dtype and op codes are src/abi.ts's
// DTYPE_*, UNARY_*, BINARY_*, REDUCE_*. Each call runs on the calling thread.

import type { Pool2dGeometry } from "@tsnpu/tensor";
import type { KernelExports } from "./exports.js";

export abstract class KernelCalls {
  protected constructor(protected readonly exports: KernelExports) {}

  /** Throws once the runtime is disposed. */
  protected abstract checkAlive(): void;

  /**
   * n float32 at srcPtr -> float16 bits at dstPtr, with the QuantConv2d epilogue's SIMD
   * conversion (round to nearest even, overflow to inf, subnormals kept, NaN stays NaN).
   */
  float32ToFloat16(srcPtr: number, dstPtr: number, n: number): void {
    this.checkAlive();
    this.exports.convertF32ToF16(srcPtr, dstPtr, n);
  }

  /** relu of n elements at src into dst. */
  relu(dtype: number, src: number, dst: number, n: number): void {
    this.exports.relu(dtype, src, dst, n);
  }

  /**
   * npu_quantize of outer * channels * inner float32/float16 elements at src into int8/uint8/
   * int32 at dst; params: f32 factor[channels], f32 zero[channels], i32 nan[channels]; act
   * (ACT_*, bounds actLo/actHi) is applied to each element first (a fused graph step).
   */
  quantize(...args: Parameters<KernelExports["quantize"]>): void {
    this.exports.quantize(...args);
  }

  /** neg/abs (UNARY_* code) of n elements at src into dst. */
  unary(op: number, dtype: number, src: number, dst: number, n: number): void {
    this.exports.unary(op, dtype, src, dst, n);
  }

  /** clamp of n float16/float32 elements to [lo, hi] (float32 values); NaN results get nanBits. */
  clamp(
    dtype: number,
    src: number,
    dst: number,
    n: number,
    lo: number,
    hi: number,
    nanBits: number,
  ): void {
    this.exports.clamp(dtype, src, dst, n, lo, hi, nanBits);
  }

  /** add/sub/mul/div (BINARY_* code) of n elements at a and b (b = 0: the scalar instead) into out. */
  binary(
    op: number,
    dtype: number,
    a: number,
    b: number,
    out: number,
    n: number,
    alpha: number,
    scalar: number,
  ): void {
    this.exports.binary(op, dtype, a, b, out, n, alpha, scalar);
  }

  /** max_pool2d of contiguous planes at src into dst, for geometry g. */
  maxPool2d(dtype: number, src: number, dst: number, g: Pool2dGeometry): void {
    this.exports.maxPool2d(
      dtype,
      src,
      dst,
      g.planes,
      g.h,
      g.w,
      g.kh,
      g.kw,
      g.strideH,
      g.strideW,
      g.padH,
      g.padW,
      g.dilationH,
      g.dilationW,
      g.hOut,
      g.wOut,
    );
  }

  /**
   * matmul of contiguous [batches, n, k] at a and [batches, k, m] at b into out; aStride /
   * bStride: elements between batches (0: one matrix for all).
   */
  matmul(
    dtype: number,
    a: number,
    b: number,
    out: number,
    batches: number,
    n: number,
    k: number,
    m: number,
    aStride: number,
    bStride: number,
  ): void {
    this.exports.matmul(dtype, a, b, out, batches, n, k, m, aStride, bStride);
  }

  /** avg_pool2d of contiguous planes at src into dst, for geometry g (dilation 1). */
  avgPool2d(
    dtype: number,
    src: number,
    dst: number,
    g: Pool2dGeometry,
    countIncludePad: boolean,
    divisorOverride: number | null,
  ): void {
    this.exports.avgPool2d(
      dtype,
      src,
      dst,
      g.planes,
      g.h,
      g.w,
      g.kh,
      g.kw,
      g.strideH,
      g.strideW,
      g.padH,
      g.padW,
      g.hOut,
      g.wOut,
      countIncludePad ? 1 : 0,
      divisorOverride ?? 0,
    );
  }

  /** n float16 bits at src -> n float32 at dst (exact). */
  widenF16(src: number, dst: number, n: number): void {
    this.exports.widenF16(src, dst, n);
  }

  /**
   * sum/mean/amax/amin/argmax (REDUCE_* code) of `groups` contiguous runs of `size` elements
   * at src into dst (int64 indices for argmax).
   */
  reduce(op: number, dtype: number, src: number, dst: number, groups: number, size: number): void {
    this.exports.reduce(op, dtype, src, dst, groups, size);
  }

  /** FLOAT_* op of n float16/float32 elements; p0, p1: hardsigmoid's alpha, beta or leaky_relu's slope. */
  floatUnary(op: number, dtype: number, src: number, dst: number, n: number, p0 = 0, p1 = 0): void {
    this.exports.floatUnary(op, dtype, src, dst, n, p0, p1);
  }

  /** pow of n elements at a by those at b (b = 0: by `scalar`). */
  pow(dtype: number, a: number, b: number, out: number, n: number, scalar: number): void {
    this.exports.pow(dtype, a, b, out, n, scalar);
  }

  /** prelu of n elements at a with the broadcast weights at w. */
  prelu(dtype: number, a: number, w: number, out: number, n: number): void {
    this.exports.prelu(dtype, a, w, out, n);
  }

  /** softmax of `outer` x `inner` rows of `size` elements `inner` apart. */
  softmax(
    dtype: number,
    src: number,
    dst: number,
    outer: number,
    size: number,
    inner: number,
  ): void {
    this.exports.softmax(dtype, src, dst, outer, size, inner);
  }

  /** where over n elements of `bytes` bytes (quiet: float32, NaNs get their quiet bit). */
  where(
    bytes: number,
    cond: number,
    a: number,
    b: number,
    out: number,
    n: number,
    quiet: boolean,
  ): void {
    this.exports.where(bytes, cond, a, b, out, n, quiet ? 1 : 0);
  }

  /** eq over n elements of `bytes` bytes, compared as EQ_* `kind`; bool (uint8) results at out. */
  equal(kind: number, bytes: number, a: number, b: number, out: number, n: number): void {
    this.exports.equal(kind, bytes, a, b, out, n);
  }

  /** constant_pad_nd's row copy (assembly/ops/cast.ts padPlanes): dst already holds the pad value. */
  padPlanes(
    src: number,
    dst: number,
    planes: number,
    h: number,
    rowBytes: number,
    hOut: number,
    outRowBytes: number,
    top: number,
    left: number,
  ): void {
    this.exports.padPlanes(src, dst, planes, h, rowBytes, hOut, outRowBytes, top, left);
  }
}
