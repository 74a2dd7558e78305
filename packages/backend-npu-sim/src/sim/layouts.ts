// The AI Core's data formats (docs/semantics/npu-sim.md section 2) and the TransData conversions to and
// from the user's NCHW / OIHW. Pure functions over typed arrays; padding lanes are zero.

/** Channels per fractal lane group for int8 feature maps (one 32-byte row). */
export const C0_INT8 = 32;
/** Channels per lane group for float16 feature maps (one 32-byte row). */
export const C0_FP16 = 16;
/** FRACTAL_Z: output channels per fractal. */
export const CO0 = 16;

export const ceilDiv = (a: number, b: number): number => Math.floor((a + b - 1) / b);

/** Shape (N, C1, H, W, C0) of the NC1HWC0 form of an (N, C, H, W) map. */
export function nc1hwc0Shape(
  n: number,
  c: number,
  h: number,
  w: number,
  c0: number,
): [number, number, number, number, number] {
  return [n, ceilDiv(c, c0), h, w, c0];
}

/** Shape (C1*KH*KW, Cout1, 16, 32) of the FRACTAL_Z form of an (O, I, KH, KW) int8 weight. */
export function fractalZShape(
  cout: number,
  cin: number,
  kh: number,
  kw: number,
): [number, number, number, number] {
  return [ceilDiv(cin, C0_INT8) * kh * kw, ceilDiv(cout, CO0), CO0, C0_INT8];
}

// NCHW <-> NC1HWC0, generic over the element array type; x5[n][c1][h][w][c0] = X[n][c1*C0+c0][h][w].
type Elems = Int8Array | Uint16Array;

function toNc1hwc0<T extends Elems>(
  src: T,
  dst: T,
  n: number,
  c: number,
  h: number,
  w: number,
  c0: number,
): T {
  const c1 = ceilDiv(c, c0);
  const hw = h * w;
  for (let b = 0; b < n; b++) {
    for (let ch = 0; ch < c; ch++) {
      const g = (ch / c0) | 0;
      const lane = ch - g * c0;
      const s = (b * c + ch) * hw;
      const d = (b * c1 + g) * hw * c0 + lane;
      // Strided scatter: one source row of H*W values to every C0-th destination byte.
      for (let i = 0; i < hw; i++) dst[d + i * c0] = src[s + i]!;
    }
  }
  return dst;
}

function fromNc1hwc0<T extends Elems>(
  src: T,
  dst: T,
  n: number,
  c: number,
  h: number,
  w: number,
  c0: number,
): T {
  const c1 = ceilDiv(c, c0);
  const hw = h * w;
  for (let b = 0; b < n; b++) {
    for (let ch = 0; ch < c; ch++) {
      const g = (ch / c0) | 0;
      const lane = ch - g * c0;
      const d = (b * c + ch) * hw;
      const s = (b * c1 + g) * hw * c0 + lane;
      for (let i = 0; i < hw; i++) dst[d + i] = src[s + i * c0]!;
    }
  }
  return dst;
}

/** int8 NCHW -> NC1HWC0 with C0 = 32; channels >= C are zero. */
export function nchwToNc1hwc0Int8(
  src: Int8Array,
  n: number,
  c: number,
  h: number,
  w: number,
): Int8Array {
  return toNc1hwc0(
    src,
    new Int8Array(n * ceilDiv(c, C0_INT8) * h * w * C0_INT8),
    n,
    c,
    h,
    w,
    C0_INT8,
  );
}

/** int8 NC1HWC0 (C0 = 32) -> NCHW, dropping the padding lanes. */
export function nc1hwc0ToNchwInt8(
  src: Int8Array,
  n: number,
  c: number,
  h: number,
  w: number,
): Int8Array {
  return fromNc1hwc0(src, new Int8Array(n * c * h * w), n, c, h, w, C0_INT8);
}

/** float16 bits NCHW -> NC1HWC0 with C0 = 16 (the output format, used by tests and round trips). */
export function nchwToNc1hwc0Float16(
  src: Uint16Array,
  n: number,
  c: number,
  h: number,
  w: number,
): Uint16Array {
  return toNc1hwc0(
    src,
    new Uint16Array(n * ceilDiv(c, C0_FP16) * h * w * C0_FP16),
    n,
    c,
    h,
    w,
    C0_FP16,
  );
}

/** float16 bits NC1HWC0 (C0 = 16) -> NCHW; writes into `dst` when given (the user's output). */
export function nc1hwc0ToNchwFloat16(
  src: Uint16Array,
  n: number,
  c: number,
  h: number,
  w: number,
  dst: Uint16Array = new Uint16Array(n * c * h * w),
): Uint16Array {
  return fromNc1hwc0(src, dst, n, c, h, w, C0_FP16);
}

/**
 * Flat index into FRACTAL_Z of W[co][ci][kh][kw] (spec section 2):
 * `wz[(c1*KH + kh)*KW + kw][co1][co0][c0]`, co = co1*16 + co0, ci = c1*32 + c0.
 */
export function fractalZIndex(
  cout: number,
  kh: number,
  kw: number,
  KH: number,
  KW: number,
  co: number,
  ci: number,
): number {
  const cout1 = ceilDiv(cout, CO0);
  const c1 = (ci / C0_INT8) | 0;
  const c0 = ci - c1 * C0_INT8;
  return (((c1 * KH + kh) * KW + kw) * cout1 * CO0 + co) * C0_INT8 + c0; // co1*16+co0 == co
}

/** int8 OIHW -> FRACTAL_Z (C1*KH*KW, Cout1, 16, 32); Cout padded to 16, Cin to 32, with zeros. */
export function oihwToFractalZ(
  src: Int8Array,
  cout: number,
  cin: number,
  KH: number,
  KW: number,
): Int8Array {
  const [kb, cout1] = fractalZShape(cout, cin, KH, KW);
  const dst = new Int8Array(kb * cout1 * CO0 * C0_INT8);
  for (let co = 0; co < cout; co++) {
    for (let ci = 0; ci < cin; ci++) {
      for (let kh = 0; kh < KH; kh++) {
        for (let kw = 0; kw < KW; kw++) {
          dst[fractalZIndex(cout, kh, kw, KH, KW, co, ci)] =
            src[((co * cin + ci) * KH + kh) * KW + kw]!;
        }
      }
    }
  }
  return dst;
}

/** FRACTAL_Z -> OIHW, dropping the padding (the inverse of {@link oihwToFractalZ}). */
export function fractalZToOihw(
  src: Int8Array,
  cout: number,
  cin: number,
  KH: number,
  KW: number,
): Int8Array {
  const dst = new Int8Array(cout * cin * KH * KW);
  for (let co = 0; co < cout; co++) {
    for (let ci = 0; ci < cin; ci++) {
      for (let kh = 0; kh < KH; kh++) {
        for (let kw = 0; kw < KW; kw++) {
          dst[((co * cin + ci) * KH + kh) * KW + kw] =
            src[fractalZIndex(cout, kh, kw, KH, KW, co, ci)]!;
        }
      }
    }
  }
  return dst;
}
