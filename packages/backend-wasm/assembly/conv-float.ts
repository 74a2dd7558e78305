// Float conv2d (float32 and float16) with the arithmetic of docs/semantics/float-ops.md: every
// output starts at its bias (or +0) and adds f32(x * w) in float32 for ci, kh, kw ascending,
// skipping padded taps; no fma; one rounding to the output dtype. SIMD lanes are four output
// pixels of one row, so each lane runs its own sequential reduction and the bits equal the
// cpu's kernels/conv2d.ts. NaN results are stored as the canonical quiet NaN.
//
// float16 data is read as it is: input, weights and bias are widened in registers (exact), the
// results rounded once on store; no float32 copy of a tensor is made. The input may be any
// view with non-negative strides (the plan carries its image, channel, row and column strides).
//
// Work chunk = (image, group, block of output channels, band of output rows) (pool.ts,
// MODE_FLOAT_CONV); a depthwise conv's block of channels spans as many groups, set up once. A chunk copies the input rows it reads, once each, into its thread's scratch
// as zero-padded float32 rows: rows are built as the band advances (so they are still in cache
// when read), and for stride s a row is stored as s phases (phase r holds padded columns
// k * s + r), so every tap of a strided conv reads four consecutive floats, no lane gathers.
// Padded columns read those zeros, but a tap in the padding must be skipped, not added as
// 0 * w (not exact for -0 sums and infinite or NaN weights): the few vectors at the row's ends
// whose window leaves the input blend the sum with the old accumulator per lane; the interior
// vectors add without checks. Rows of the padding are skipped as a whole (no buffered row),
// or, where adding the padding's zeros gives the bits of skipping them (zerosAreSkips, the
// common case), buffered as zeros, so a call computes a strip of rows (bandRows).
// Blocks of four output channels of one group load each input vector once for all four (8
// columns per step); single channels (depthwise) run 28 columns per step (7 accumulators: with
// 8, V8 keeps 8 loaded vectors live too and spills; measured 10.5 against 14.3 GMAC/s). A
// block's float16 results take one range test and the short conversion when all are normal.

import { pf, pp } from "./plan";
import {
  P_CIN, P_H, P_W, P_COUT, P_KH, P_KW, P_SH, P_SW, P_PH, P_PW, P_DH, P_DW, P_HO, P_WO,
  P_IN, P_BIAS, P_OUT, P_WPACK, P_GROUPS, P_ODTYPE, P_XROW, P_XCHANNEL, P_XIMAGE, P_XCOL,
  P_FBAND, P_FBLOCK, P_FPHASE, P_FZEROTAPS, P_SCRATCH, P_SCRATCH_STRIDE, DTYPE_F16, DTYPE_I8,
  P_EPI, E_QUANT, E_QPARAMS, E_QCHANNELS, E_QDIV, E_QLO, E_QHI, ACT_NONE,
} from "../src/abi";
import { f16FromNormal, f16NormalLanes, f32x4ToF16, normalKey, NORMAL_KEY_END } from "./f16";
import { f16ToF32, widenFiniteF16 } from "./ops/lanes";
import { lanes, lanes8 } from "./ops/quantize";
import { convHalf } from "./epilogue";

const NAN32: i32 = 0x7fc00000;

/** acc + f32(x * w), rounded twice: wasm has no fused multiply-add. */
// @ts-ignore: decorator
@inline function madd(acc: v128, x: v128, w: v128): v128 {
  return f32x4.add(acc, f32x4.mul(x, w));
}

/** NaN lanes -> the canonical quiet NaN. */
// @ts-ignore: decorator
@inline function canonical(v: v128): v128 {
  return v128.bitselect(i32x4.splat(NAN32), v, f32x4.ne(v, v));
}

/** Stores four results at dst (float32, or float16 bits when f16). */
// @ts-ignore: decorator
@inline function store4(dst: usize, v: v128, f16: bool): void {
  const c = canonical(v);
  if (f16) {
    const h = f32x4ToF16(c);
    v128.store64_lane(dst, i16x8.narrow_i32x4_u(h, h), 0);
  } else v128.store(dst, c);
}

/** Stores one result at dst. */
// @ts-ignore: decorator
@inline function store1(dst: usize, v: f32, f16: bool): void {
  if (f16) store<u16>(dst, <u16>i32x4.extract_lane(f32x4ToF16(canonical(f32x4.splat(v))), 0));
  else if (v != v) store<i32>(dst, NAN32);
  else store<f32>(dst, v);
}

/** Stores the first n (1..3) lanes of v (a row narrower than four columns). */
function storeFirst(dst: usize, v: v128, n: i32, f16: bool): void {
  const esz: usize = f16 ? 2 : 4;
  store1(dst, f32x4.extract_lane(v, 0), f16);
  if (n > 1) store1(dst + esz, f32x4.extract_lane(v, 1), f16);
  if (n > 2) store1(dst + 2 * esz, f32x4.extract_lane(v, 2), f16);
}

/** Four float16 at p, widened. */
// @ts-ignore: decorator
@inline function widen4(p: usize): v128 {
  return f16ToF32(i32x4.extend_low_i16x8_u(v128.load64_zero(p)));
}

/** One float16 at p, widened. */
// @ts-ignore: decorator
@inline function widen1(p: usize): f32 {
  return f32x4.extract_lane(f16ToF32(i32x4.splat(<i32>load<u16>(p))), 0);
}

/** n float16 bits at src -> n float32 at dst (exact; NaN payloads kept). */
export function widenF16(src: usize, dst: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(dst + (<usize>i << 2), widen4(src + (<usize>i << 1)));
  for (; i < n; i++) store<f32>(dst + (<usize>i << 2), widen1(src + (<usize>i << 1)));
}

/** Zeroes the floats [from, to) of the row at p, in vectors (memory.fill is a call into V8, too slow per row). */
// @ts-ignore: decorator
@inline function zeroFloats(p: usize, from: i32, to: i32): void {
  let i = from;
  for (; i + 4 <= to; i += 4) v128.store(p + (<usize>i << 2), i32x4.splat(0));
  for (; i < to; i++) store<f32>(p + (<usize>i << 2), 0);
}

/**
 * Input row `src` (w elements `cs` apart; float16 when f16) as the float32 row the taps read:
 * padded column b holds input column b - pl (0 outside the input) for b < L * sw, stored as
 * sw phases of L floats (phase r holds b = k * sw + r at k). `stage`: L * sw floats of room
 * for the unsplit row when sw > 1.
 */
// @ts-ignore: decorator
@inline function bufferRow(src: usize, cs: i32, w: i32, pl: i32, sw: i32, L: i32, dst: usize, stage: usize, f16: bool): void {
  const len = L * sw;
  const line = sw == 1 ? dst : stage;
  const lead = min(pl, len);
  const m = max(0, min(w, len - pl)); // columns of the input the row holds
  zeroFloats(line, 0, lead);
  const d = line + (<usize>lead << 2);
  let i = 0;
  if (cs == 1) {
    if (f16) {
      // Eight halves at a time by the short widening (right for finite ones), the row's
      // exponent fields watched; a row with an infinity or NaN is done again by the full one.
      const e = i16x8.splat(0x7c00);
      let special = i32x4.splat(0);
      for (; i + 8 <= m; i += 8) {
        const x = v128.load(src + (<usize>i << 1));
        const at = d + (<usize>i << 2);
        special = v128.or(special, i16x8.eq(v128.and(x, e), e));
        v128.store(at, widenFiniteF16(i32x4.extend_low_i16x8_s(x)));
        v128.store(at, widenFiniteF16(i32x4.extend_high_i16x8_s(x)), 16);
      }
      if (v128.any_true(special)) {
        for (let k = 0; k + 4 <= i; k += 4) v128.store(d + (<usize>k << 2), widen4(src + (<usize>k << 1)));
      }
      for (; i + 4 <= m; i += 4) v128.store(d + (<usize>i << 2), widen4(src + (<usize>i << 1)));
    }
    else for (; i + 4 <= m; i += 4) v128.store(d + (<usize>i << 2), v128.load(src + (<usize>i << 2)));
  }
  const step = <usize>cs * (f16 ? 2 : 4);
  for (; i < m; i++) {
    const p = src + <usize>i * step;
    store<f32>(d + (<usize>i << 2), f16 ? widen1(p) : load<f32>(p));
  }
  zeroFloats(line, lead + m, len);
  if (sw == 1) return;
  const phase = <usize>L << 2;
  if (sw == 2) {
    for (let k = 0; k < L; k += 4) {
      const a = v128.load(stage + (<usize>k << 3));
      const b = v128.load(stage + (<usize>k << 3) + 16);
      v128.store(dst + (<usize>k << 2), i32x4.shuffle(a, b, 0, 2, 4, 6));
      v128.store(dst + phase + (<usize>k << 2), i32x4.shuffle(a, b, 1, 3, 5, 7));
    }
    return;
  }
  for (let r = 0; r < sw; r++) {
    for (let k = 0; k < L; k++) {
      store<f32>(dst + <usize>r * phase + (<usize>k << 2), load<f32>(stage + (<usize>(k * sw + r) << 2)));
    }
  }
}

/** Bytes from a buffered row's start to tap j's first column (its phase, then its offset). */
// @ts-ignore: decorator
@inline function tapOffset(j: i32, dw: i32, sw: i32, phase: usize): usize {
  const q = <u32>(j * dw);
  return <usize>(q % <u32>sw) * phase + (<usize>(q / <u32>sw) << 2);
}

/** Input columns of the four lanes at output column ow, for tap offset 0. */
// @ts-ignore: decorator
@inline function laneColumns(ow: i32, sw: i32, pl: i32): v128 {
  return i32x4.add(i32x4.splat(ow * sw - pl), i32x4.mul(i32x4(0, 1, 2, 3), i32x4.splat(sw)));
}

/**
 * acc + f32(x * w) in the lanes of m, acc in the others (their tap is in the padding): the
 * product there becomes -0, and acc + -0 is acc for every acc (NaN, infinities and -0 included).
 */
// @ts-ignore: decorator
@inline function maddIn(acc: v128, x: v128, w: v128, m: v128): v128 {
  return f32x4.add(acc, v128.bitselect(f32x4.mul(x, w), i32x4.splat(0x80000000), m));
}

/** The k-th of up to eight vectors (k a constant after inlining). */
// @ts-ignore: decorator
@inline function pick(k: i32, v0: v128, v1: v128, v2: v128, v3: v128, v4: v128, v5: v128, v6: v128, v7: v128): v128 {
  return k == 0 ? v0 : k == 1 ? v1 : k == 2 ? v2 : k == 3 ? v3 : k == 4 ? v4 : k == 5 ? v5 : k == 6 ? v6 : v7;
}

/** Accumulator k (of nc channels x pv vectors: channel k / pv, vector k % pv) after a tap. */
// @ts-ignore: decorator
@inline function tap(
  acc: v128, k: i32, nc: i32, pv: i32, masked: bool, m: v128,
  x0: v128, x1: v128, x2: v128, x3: v128, x4: v128, x5: v128, x6: v128, x7: v128,
  w0: v128, w1: v128, w2: v128, w3: v128,
): v128 {
  if (k >= nc * pv) return acc;
  const x = pick(k % pv, x0, x1, x2, x3, x4, x5, x6, x7);
  const w = pick(k / pv, w0, w1, w2, w3, w0, w0, w0, w0);
  return masked ? maddIn(acc, x, w, m) : madd(acc, x, w);
}

/** Stores accumulator k (see tap) of the block at o: n lanes (n < 4: a row narrower than 4). */
// @ts-ignore: decorator
@inline function storeAcc(acc: v128, k: i32, nc: i32, pv: i32, o: usize, outPlane: usize, n: i32, f16: bool): void {
  if (k >= nc * pv) return;
  const dst = o + <usize>(k / pv) * outPlane + <usize>(k % pv) * (f16 ? 8 : 16);
  if (n < 4) storeFirst(dst, acc, n, f16);
  else store4(dst, acc, f16);
}

/**
 * Lanes that the short conversions take: in float16's normal range (f16NormalLanes) or +-0
 * (a relu'd input gives many, e.g. a depthwise conv without bias over a window of zeros).
 */
// @ts-ignore: decorator
@inline function shortLanes(y: v128): v128 {
  return v128.or(f16NormalLanes(y), f32x4.eq(y, f32x4.splat(0)));
}

/** float16 bits of lanes that shortLanes accepted. */
// @ts-ignore: decorator
@inline function shortF16(y: v128): v128 {
  return v128.bitselect(v128.and(i32x4.shr_u(y, 16), i32x4.splat(0x8000)), f16FromNormal(y), f32x4.eq(y, f32x4.splat(0)));
}

/** Lanes of accumulator k (see tap) that the short conversions take (all of a missing one). */
// @ts-ignore: decorator
@inline function normalLanes(acc: v128, k: i32, nc: i32, pv: i32): v128 {
  return k >= nc * pv ? i32x4.splat(-1) : shortLanes(acc);
}

/**
 * Stores accumulators k and k + 1 (k even; see tap) as float16, every lane taken by shortLanes
 * (so no NaN to make canonical): one 16-byte store when they are neighbours in one channel.
 */
// @ts-ignore: decorator
@inline function storeNormalPair(x: v128, y: v128, k: i32, nc: i32, pv: i32, o: usize, outPlane: usize): void {
  if (k >= nc * pv) return;
  const dst = o + <usize>(k / pv) * outPlane + <usize>(k % pv) * 8;
  const hx = shortF16(x);
  if (k + 1 < nc * pv && (k + 1) % pv != 0) {
    v128.store(dst, i16x8.narrow_i32x4_u(hx, shortF16(y)));
    return;
  }
  v128.store64_lane(dst, i16x8.narrow_i32x4_u(hx, hx), 0);
  if (k + 1 < nc * pv) {
    const hy = shortF16(y);
    v128.store64_lane(o + <usize>((k + 1) / pv) * outPlane + <usize>((k + 1) % pv) * 8, i16x8.narrow_i32x4_u(hy, hy), 0);
  }
}

/**
 * Stores the block of nc channels x pv vectors of four results that vectors() left at
 * g's QUANT_TMP (vector k: channel k / pv, columns 4 * (k % pv) on; n < 4: one vector of n) as
 * the fused npu_quantize's 8-bit results: the float16 value the unfused conv stores, then the
 * quantize lanes (ops/quantize.ts) with the channel's parameters; lanes8 when g.qfast holds and
 * every result is in float16's normal range (the common case). Not inlined: one copy of this
 * code for every block shape (the accumulators go through memory, in cache).
 */
function quantizeBlock(g: Rows, co: i32, nc: i32, pv: i32, o: usize, outPlane: usize, n: i32): void {
  const t = changetype<usize>(g) + QUANT_TMP;
  const fast = g.qfast && n == 4;
  const div = g.qdiv, u8 = g.quant != DTYPE_I8;
  const lo = i32x4.splat(g.qlo), hi = i32x4.splat(g.qhi);
  for (let c = 0; c < nc; c++) {
    const q = g.qparams + <usize>(co + c) * g.qstep;
    const f = v128.load32_splat(q), z = v128.load32_splat(q + g.qarray), nan = v128.load32_splat(q + 2 * g.qarray);
    const zi = i32x4.trunc_sat_f32x4_s(z);
    const src = t + (<usize>(c * pv) << 4);
    const dst = o + <usize>c * outPlane;
    for (let v = 0; v < pv; v += 2) {
      const x0 = v128.load(src + (<usize>v << 4));
      const x1 = v + 1 < pv ? v128.load(src + (<usize>v << 4), 16) : x0;
      const d = dst + (<usize>v << 2);
      if (fast && i32x4.all_true(v128.and(shortLanes(x0), shortLanes(x1)))) {
        // Saturating narrows: the clamp to the output's full range.
        const r0 = lanes8(roundToHalf(x0), f, z, zi, nan, lo, hi, div, ACT_NONE, x0, x0, true);
        const r1 = lanes8(roundToHalf(x1), f, z, zi, nan, lo, hi, div, ACT_NONE, x1, x1, true);
        const h = i16x8.narrow_i32x4_s(r0, r1);
        const b = u8 ? i8x16.narrow_i16x8_u(h, h) : i8x16.narrow_i16x8_s(h, h);
        if (v + 1 < pv) v128.store64_lane(d, b, 0);
        else v128.store32_lane(d, b, 0);
        continue;
      }
      quantizeAny(x0, f, z, nan, lo, hi, div, u8, d, n);
      if (v + 1 < pv) quantizeAny(x1, f, z, nan, lo, hi, div, u8, d + 4, n);
    }
  }
}

/**
 * Lanes that passed f16NormalLanes rounded to float16 precision, as float32: round half to
 * even at mantissa bit 13 on the signed bits (a carry cannot reach the sign in that range).
 */
// @ts-ignore: decorator
@inline function roundToHalf(y: v128): v128 { // +-0 stays +-0
  const odd = v128.and(i32x4.shr_u(y, 13), i32x4.splat(1));
  return v128.and(i32x4.add(i32x4.add(y, i32x4.splat(0xfff)), odd), i32x4.splat(0xffffe000));
}

/** Four results of any value (n < 4: the first n) quantized with the general lanes, stored at d. */
function quantizeAny(x: v128, f: v128, z: v128, nan: v128, lo: v128, hi: v128, div: bool, u8: bool, d: usize, n: i32): void {
  const r = lanes(convHalf(x, false), f, z, nan, lo, hi, div, ACT_NONE, x, x);
  const h = i16x8.narrow_i32x4_s(r, r);
  const b = u8 ? i8x16.narrow_i16x8_u(h, h) : i8x16.narrow_i16x8_s(h, h);
  if (n == 4) {
    v128.store32_lane(d, b, 0);
    return;
  }
  v128.store8_lane(d, b, 0);
  if (n > 1) v128.store8_lane(d, b, 1, 1);
  if (n > 2) v128.store8_lane(d, b, 2, 2);
}

/**
 * lanes8 (ops/quantize.ts, g.qfast holding) on lanes that passed f16NormalLanes, rounded to
 * float16 first, with channel entry e of the chunk's table (readQuantize): f, then zf (z when
 * it is added to the product in float32: not div mode; else +0, the -0 it may turn to +0
 * rounding to the same 0), then 0x4b400000 - zi (zi: z, added to the rounded integer in div
 * mode; else 0).
 */
// @ts-ignore: decorator
@inline function quantizeNormal(x: v128, e: usize): v128 {
  const s = f32x4.add(f32x4.mul(roundToHalf(x), v128.load(e)), v128.load(e, 16));
  const c = f32x4.pmin(f32x4.pmax(s, f32x4.splat(-1048576)), f32x4.splat(1048576));
  return i32x4.sub(f32x4.add(c, f32x4.splat(12582912)), v128.load(e, 32));
}

/**
 * Quantized stores of accumulators k and k + 1 (k even; see tap), every lane in float16's
 * normal range, g.qfast holding (`table`: channel co's entry): one 8-byte store when they are
 * neighbours in one channel.
 */
// @ts-ignore: decorator
@inline function quantizeNormalPair(table: usize, x: v128, y: v128, k: i32, nc: i32, pv: i32, o: usize, outPlane: usize, u8: bool): void {
  if (k >= nc * pv) return;
  const cx = k / pv, cy = (k + 1) / pv;
  const rx = quantizeNormal(x, table + <usize>cx * Q_ENTRY);
  const ry = k + 1 < nc * pv ? quantizeNormal(y, table + <usize>cy * Q_ENTRY) : rx;
  // Saturating narrows: the clamp to the output's full range.
  const h = i16x8.narrow_i32x4_s(rx, ry);
  const b = u8 ? i8x16.narrow_i16x8_u(h, h) : i8x16.narrow_i16x8_s(h, h);
  const dst = o + <usize>cx * outPlane + <usize>(k % pv) * 4;
  if (k + 1 < nc * pv && (k + 1) % pv != 0) {
    v128.store64_lane(dst, b, 0);
    return;
  }
  v128.store32_lane(dst, b, 0);
  if (k + 1 < nc * pv) v128.store32_lane(o + <usize>cy * outPlane + <usize>((k + 1) % pv) * 4, b, 1);
}

/** Accumulator k (see tap) into the quantize block's memory (quantizeBlock). */
// @ts-ignore: decorator
@inline function keep(t: usize, acc: v128, k: i32, nc: i32, pv: i32): void {
  if (k < nc * pv) v128.store(t + (<usize>k << 4), acc);
}

/**
 * Stores a block's accumulators (k: channel k / pv, vector k % pv; see tap) at o and the next
 * channels' planes: float32, float16 (one range test for the block, then the short conversion
 * when it passes), or the fused quantize's 8 bits (g.quant).
 */
// @ts-ignore: decorator
@inline function storeBlock(
  g: Rows, co: i32, a0: v128, a1: v128, a2: v128, a3: v128, a4: v128, a5: v128, a6: v128, a7: v128,
  nc: i32, pv: i32, o: usize, outPlane: usize, n: i32, f16: bool,
): void {
  if (f16 && n == 4) {
    // One range test for the whole block: the largest key of all eight (a missing accumulator
    // is a copy of a present one), then, when a lane is outside (a zero, e.g. from a window of
    // relu'd zeros, or any other), the test per lane. Then the short conversion, two vectors a store.
    const key = i32x4.max_s(
      i32x4.max_s(i32x4.max_s(normalKey(a0), normalKey(a1)), i32x4.max_s(normalKey(a2), normalKey(a3))),
      i32x4.max_s(i32x4.max_s(normalKey(a4), normalKey(a5)), i32x4.max_s(normalKey(a6), normalKey(a7))),
    );
    if (i32x4.all_true(i32x4.lt_s(key, i32x4.splat(NORMAL_KEY_END))) || i32x4.all_true(v128.and(
      v128.and(v128.and(normalLanes(a0, 0, nc, pv), normalLanes(a1, 1, nc, pv)), v128.and(normalLanes(a2, 2, nc, pv), normalLanes(a3, 3, nc, pv))),
      v128.and(v128.and(normalLanes(a4, 4, nc, pv), normalLanes(a5, 5, nc, pv)), v128.and(normalLanes(a6, 6, nc, pv), normalLanes(a7, 7, nc, pv))),
    ))) {
      if (g.quant == 0) {
        storeNormalPair(a0, a1, 0, nc, pv, o, outPlane);
        storeNormalPair(a2, a3, 2, nc, pv, o, outPlane);
        storeNormalPair(a4, a5, 4, nc, pv, o, outPlane);
        storeNormalPair(a6, a7, 6, nc, pv, o, outPlane);
        return;
      }
      if (g.qfast) {
        const table = changetype<usize>(g) + Q_TABLE + <usize>(co - g.qco0) * Q_ENTRY;
        const u8 = g.quant != DTYPE_I8;
        quantizeNormalPair(table, a0, a1, 0, nc, pv, o, outPlane, u8);
        quantizeNormalPair(table, a2, a3, 2, nc, pv, o, outPlane, u8);
        quantizeNormalPair(table, a4, a5, 4, nc, pv, o, outPlane, u8);
        quantizeNormalPair(table, a6, a7, 6, nc, pv, o, outPlane, u8);
        return;
      }
    }
  }
  if (g.quant != 0) {
    const t = changetype<usize>(g) + QUANT_TMP;
    keep(t, a0, 0, nc, pv);
    keep(t, a1, 1, nc, pv);
    keep(t, a2, 2, nc, pv);
    keep(t, a3, 3, nc, pv);
    keep(t, a4, 4, nc, pv);
    keep(t, a5, 5, nc, pv);
    keep(t, a6, 6, nc, pv);
    keep(t, a7, 7, nc, pv);
    quantizeBlock(g, co, nc, pv, o, outPlane, n);
    return;
  }
  storeAcc(a0, 0, nc, pv, o, outPlane, n, f16);
  storeAcc(a1, 1, nc, pv, o, outPlane, n, f16);
  storeAcc(a2, 2, nc, pv, o, outPlane, n, f16);
  storeAcc(a3, 3, nc, pv, o, outPlane, n, f16);
  storeAcc(a4, 4, nc, pv, o, outPlane, n, f16);
  storeAcc(a5, 5, nc, pv, o, outPlane, n, f16);
  storeAcc(a6, 6, nc, pv, o, outPlane, n, f16);
  storeAcc(a7, 7, nc, pv, o, outPlane, n, f16);
}

/**
 * A block of `nc` (1, 2 or 4) output channels of one group (weights at w0, float32, the next
 * channel's wsz bytes on; biases b0..b3) times `pv` vectors of four columns from column ow
 * (nc * pv <= 8), stored at o and the next channels' planes (outPlane bytes apart); n < 4: a
 * lone vector of n columns. Buffered rows: input channel ci's kernel row i (from iLo) at
 * rows + ci * chanBytes + (i - iLo) * rowStep. masked (pv 1): lanes whose tap falls in the
 * padding skip it; otherwise every tap is added (the caller knows none is padding, or that
 * adding the buffer's zeros gives the same bits).
 */
// @ts-ignore: decorator
@inline function vectors(
  g: Rows, co: i32, rows: usize, chanBytes: usize, rowStep: usize, phase: usize, w0: usize, wsz: usize,
  b0: v128, b1: v128, b2: v128, b3: v128, o: usize, outPlane: usize,
  nc: i32, pv: i32, masked: bool, n: i32, ow: i32,
  cinPG: i32, kh: i32, kw: i32, iLo: i32, iHi: i32, sw: i32, dw: i32, pl: i32, w: i32, f16: bool,
): void {
  let a0 = pick(0 / pv, b0, b1, b2, b3, b0, b0, b0, b0), a1 = pick(1 / pv, b0, b1, b2, b3, b0, b0, b0, b0);
  let a2 = pick(2 / pv, b0, b1, b2, b3, b0, b0, b0, b0), a3 = pick(3 / pv, b0, b1, b2, b3, b0, b0, b0, b0);
  let a4 = pick(4 / pv, b0, b1, b2, b3, b0, b0, b0, b0), a5 = pick(5 / pv, b0, b1, b2, b3, b0, b0, b0, b0);
  let a6 = pick(6 / pv, b0, b1, b2, b3, b0, b0, b0, b0), a7 = pick(7 / pv, b0, b1, b2, b3, b0, b0, b0, b0);
  const first = masked ? laneColumns(ow, sw, pl) : i32x4.splat(0);
  const col = <usize>ow << 2;
  for (let ci = 0; ci < cinPG; ci++) {
    let rp = rows + <usize>ci * chanBytes + col;
    let wq = w0 + (<usize>((ci * kh + iLo) * kw) << 2);
    for (let i = iLo; i < iHi; i++) {
      for (let j = 0; j < kw; j++) {
        const p = rp + tapOffset(j, dw, sw, phase);
        const x0 = v128.load(p);
        const x1 = pv > 1 ? v128.load(p, 16) : x0;
        const x2 = pv > 2 ? v128.load(p, 32) : x0;
        const x3 = pv > 3 ? v128.load(p, 48) : x0;
        const x4 = pv > 4 ? v128.load(p, 64) : x0;
        const x5 = pv > 5 ? v128.load(p, 80) : x0;
        const x6 = pv > 6 ? v128.load(p, 96) : x0;
        const x7 = pv > 7 ? v128.load(p, 112) : x0;
        const wj = wq + (<usize>j << 2);
        const v0 = v128.load32_splat(wj);
        const v1 = nc > 1 ? v128.load32_splat(wj + wsz) : v0;
        const v2 = nc > 2 ? v128.load32_splat(wj + 2 * wsz) : v0;
        const v3 = nc > 3 ? v128.load32_splat(wj + 3 * wsz) : v0;
        const m = masked ? i32x4.lt_u(i32x4.add(first, i32x4.splat(j * dw)), i32x4.splat(w)) : x0;
        a0 = tap(a0, 0, nc, pv, masked, m, x0, x1, x2, x3, x4, x5, x6, x7, v0, v1, v2, v3);
        a1 = tap(a1, 1, nc, pv, masked, m, x0, x1, x2, x3, x4, x5, x6, x7, v0, v1, v2, v3);
        a2 = tap(a2, 2, nc, pv, masked, m, x0, x1, x2, x3, x4, x5, x6, x7, v0, v1, v2, v3);
        a3 = tap(a3, 3, nc, pv, masked, m, x0, x1, x2, x3, x4, x5, x6, x7, v0, v1, v2, v3);
        a4 = tap(a4, 4, nc, pv, masked, m, x0, x1, x2, x3, x4, x5, x6, x7, v0, v1, v2, v3);
        a5 = tap(a5, 5, nc, pv, masked, m, x0, x1, x2, x3, x4, x5, x6, x7, v0, v1, v2, v3);
        a6 = tap(a6, 6, nc, pv, masked, m, x0, x1, x2, x3, x4, x5, x6, x7, v0, v1, v2, v3);
        a7 = tap(a7, 7, nc, pv, masked, m, x0, x1, x2, x3, x4, x5, x6, x7, v0, v1, v2, v3);
      }
      rp += rowStep;
      wq += <usize>kw << 2;
    }
  }
  storeBlock(g, co, a0, a1, a2, a3, a4, a5, a6, a7, nc, pv, o, outPlane, n, f16);
}

/**
 * Columns [ow, wo) of a row with blocks of pv vectors while they fit, then of fewer (pv
 * halving while pv > lowest); returns the first column not done.
 */
// @ts-ignore: decorator
@inline function coverFrom(
  g: Rows, co: i32, rows: usize, chanBytes: usize, rowStep: usize, phase: usize, w0: usize, wsz: usize,
  b0: v128, b1: v128, b2: v128, b3: v128, o: usize, outPlane: usize, nc: i32, pv: i32, ow: i32,
  cinPG: i32, kh: i32, kw: i32, iLo: i32, iHi: i32, sw: i32, dw: i32, pl: i32, w: i32, wo: i32, f16: bool,
): i32 {
  const esz = g.oesz;
  for (; ow + 4 * pv <= wo; ow += 4 * pv) {
    vectors(g, co, rows, chanBytes, rowStep, phase, w0, wsz, b0, b1, b2, b3, o + <usize>ow * esz, outPlane, nc, pv, false, 4, ow, cinPG, kh, kw, iLo, iHi, sw, dw, pl, w, f16);
  }
  return ow;
}

/**
 * One output row of nc channels over columns [from, wo) (from 0 or a multiple of 4 short of wo - 3), every tap added (see vectors): blocks of
 * 7 (one channel) or 8 / nc vectors, then smaller ones; a last vector past the row's end moves back to end at it
 * (its columns get the same bits twice); a row narrower than four columns is one short vector.
 */
// @ts-ignore: decorator
@inline function plainRow(
  g: Rows, co: i32, rows: usize, chanBytes: usize, rowStep: usize, phase: usize, w0: usize, wsz: usize,
  b0: v128, b1: v128, b2: v128, b3: v128, o: usize, outPlane: usize, nc: i32,
  cinPG: i32, kh: i32, kw: i32, iLo: i32, iHi: i32, sw: i32, dw: i32, pl: i32, w: i32, wo: i32, f16: bool, from: i32,
): void {
  if (wo < 4) {
    vectors(g, co, rows, chanBytes, rowStep, phase, w0, wsz, b0, b1, b2, b3, o, outPlane, nc, 1, false, wo, 0, cinPG, kh, kw, iLo, iHi, sw, dw, pl, w, f16);
    return;
  }
  let ow = from;
  if (nc == 1) ow = coverFrom(g, co, rows, chanBytes, rowStep, phase, w0, wsz, b0, b1, b2, b3, o, outPlane, nc, 7, ow, cinPG, kh, kw, iLo, iHi, sw, dw, pl, w, wo, f16);
  if (nc <= 2) ow = coverFrom(g, co, rows, chanBytes, rowStep, phase, w0, wsz, b0, b1, b2, b3, o, outPlane, nc, 4, ow, cinPG, kh, kw, iLo, iHi, sw, dw, pl, w, wo, f16);
  ow = coverFrom(g, co, rows, chanBytes, rowStep, phase, w0, wsz, b0, b1, b2, b3, o, outPlane, nc, 2, ow, cinPG, kh, kw, iLo, iHi, sw, dw, pl, w, wo, f16);
  ow = coverFrom(g, co, rows, chanBytes, rowStep, phase, w0, wsz, b0, b1, b2, b3, o, outPlane, nc, 1, ow, cinPG, kh, kw, iLo, iHi, sw, dw, pl, w, wo, f16);
  if (ow < wo) {
    const esz = g.oesz;
    vectors(g, co, rows, chanBytes, rowStep, phase, w0, wsz, b0, b1, b2, b3, o + <usize>(wo - 4) * esz, outPlane, nc, 1, false, 4, wo - 4, cinPG, kh, kw, iLo, iHi, sw, dw, pl, w, f16);
  }
}

/**
 * One output row of nc channels where padded taps must be skipped one by one: the vectors
 * whose window leaves the input (columns outside [lo, hi)) masked, the others plain, four
 * columns at a time (the rare path: weights with infinities or NaN, or a bias of -0).
 */
// @ts-ignore: decorator
@inline function maskedRow(
  g: Rows, co: i32, rows: usize, chanBytes: usize, rowStep: usize, phase: usize, w0: usize, wsz: usize,
  b0: v128, b1: v128, b2: v128, b3: v128, o: usize, outPlane: usize, nc: i32,
  cinPG: i32, kh: i32, kw: i32, iLo: i32, iHi: i32, sw: i32, dw: i32, pl: i32, w: i32,
  wo: i32, lo: i32, hi: i32, f16: bool,
): void {
  const esz = g.oesz;
  const last = wo - 4;
  for (let ow = 0; ow < wo; ow += 4) {
    const at = last < 0 ? 0 : min(ow, last);
    const n = last < 0 ? wo : 4;
    if (at >= lo && at + 4 <= hi) {
      vectors(g, co, rows, chanBytes, rowStep, phase, w0, wsz, b0, b1, b2, b3, o + <usize>at * esz, outPlane, nc, 1, false, n, at, cinPG, kh, kw, iLo, iHi, sw, dw, pl, w, f16);
    } else {
      vectors(g, co, rows, chanBytes, rowStep, phase, w0, wsz, b0, b1, b2, b3, o + <usize>at * esz, outPlane, nc, 1, true, n, at, cinPG, kh, kw, iLo, iHi, sw, dw, pl, w, f16);
    }
  }
}

/** A call's row geometry, written per chunk into the thread's scratch (read by the row functions). */
@unmanaged class Rows {
  chanBytes: usize; // between input channels' buffered rows
  rowStep: usize; // between kernel rows' buffered rows (dh rows)
  phase: usize; // bytes of one phase of a buffered row
  wsz: usize; // bytes of one output channel's float32 weights
  outPlane: usize; // bytes of one output channel's plane
  cinPG: i32;
  kh: i32;
  kw: i32;
  sw: i32;
  dw: i32;
  pl: i32;
  w: i32;
  wo: i32;
  lo: i32; // interior columns [lo, hi): no tap of theirs in the padding
  hi: i32;
  f16: bool;
  oesz: usize; // bytes of one stored result: the dtype's, 1 when quantized
  quant: i32; // 0, or DTYPE_I8 / DTYPE_U8: a fused npu_quantize's result is stored
  qparams: usize; // its factor f32[c], zero f32[c], nan i32[c] (c: 1 or Cout)
  qstep: usize; // bytes between channels' parameters: 4 (per channel) or 0
  qarray: usize; // bytes of one of the three arrays
  qdiv: bool;
  qlo: i32;
  qhi: i32;
  qfast: bool; // lanes8 applies: finite factors, small integer zero points, the full 8-bit range
  qco0: i32; // the chunk's first output channel: entry 0 of its table at Q_TABLE (qfast)
  rowBytes: usize; // of one buffered row (its sw phases)
  sh: i32;
  pt: i32;
  dh: i32;
  h: i32;
  L: i32; // floats of one phase
  cs: i32; // input strides: columns (elements), rows and channels (bytes)
  rs: usize;
  plane: usize;
  buffered: usize; // the buffered rows
  stage: usize; // room for an unsplit row (sw > 1)
  plain: bool; // every tap may be added (zeroTaps, or zerosAreSkips)
  pairs: bool; // pairs of output rows of a depthwise channel (pairRows3/5) where they fit
}

/** Bias of channel co as four lanes (+0 without bias). */
// @ts-ignore: decorator
@inline function biasLanes(bias: usize, co: i32, f16: bool): v128 {
  if (!bias) return f32x4.splat(0);
  return f32x4.splat(f16 ? widen1(bias + (<usize>co << 1)) : load<f32>(bias + (<usize>co << 2)));
}

/**
 * Output rows of C (1, 2 or 4: its byte size) channels from co (weights at w0, rows: kernel
 * row iLo's buffered rows, output at o) for the stride S (1 or 2: its byte size; u64: g.sw).
 * plain: every tap may be added (see vectors), `count` rows (a call per row cost more than an
 * 8-column row's MACs), else padded taps are masked, one row. One instance per
 * type pair, each small enough for V8 to keep the accumulators in registers (one function
 * with every case inlined ran at half the speed).
 */
function row<C, S>(g: Rows, plain: bool, rows: usize, w0: usize, bias: usize, co: i32, o: usize, iLo: i32, iHi: i32, count: i32, from: i32 = 0): void {
  const nc = <i32>sizeof<C>();
  const sw = sizeof<S>() == 8 ? g.sw : <i32>sizeof<S>();
  const f16 = g.f16;
  const b0 = biasLanes(bias, co, f16);
  const b1 = nc > 1 ? biasLanes(bias, co + 1, f16) : b0;
  const b2 = nc > 2 ? biasLanes(bias, co + 2, f16) : b0;
  const b3 = nc > 3 ? biasLanes(bias, co + 3, f16) : b0;
  if (plain) {
    const rowsStep = <usize>g.sh * g.rowBytes, oStep = <usize>g.wo * g.oesz;
    for (let r = 0; r < count; r++) {
      plainRow(g, co, rows, g.chanBytes, g.rowStep, g.phase, w0, g.wsz, b0, b1, b2, b3, o, g.outPlane, nc,
        g.cinPG, g.kh, g.kw, iLo, iHi, sw, g.dw, g.pl, g.w, g.wo, f16, from);
      rows += rowsStep;
      o += oStep;
    }
  } else {
    maskedRow(g, co, rows, g.chanBytes, g.rowStep, g.phase, w0, g.wsz, b0, b1, b2, b3, o, g.outPlane, nc,
      g.cinPG, g.kh, g.kw, iLo, iHi, sw, g.dw, g.pl, g.w, g.wo, g.lo, g.hi, f16);
  }
}

/**
 * Output rows oh and oh + 1 of one depthwise channel (kw x kw with kw a constant after
 * inlining; stride and dilation 1, every tap added: see vectors), rows: oh's first buffered
 * input row: 16 columns of both rows per block, each input vector loaded once for the two
 * (input row r feeds row oh through kernel row r and row oh + 1 through kernel row r - 1), then
 * the rest of each row by row(). Each accumulator adds the same taps in the same order as in
 * vectors, so the bits are the same.
 */
// @ts-ignore: decorator
@inline function pairRowsOf(g: Rows, rows: usize, w0: usize, bias: usize, co: i32, o: usize, kw: i32, count: i32): void {
  const kh = g.kh, wo = g.wo, rowBytes = g.rowStep, f16 = g.f16, esz = g.oesz;
  const bv = biasLanes(bias, co, f16);
  for (let t = 0; t + 1 < count; t += 2) {
    pairOf(g, rows, w0, bv, bias, co, o, kw, kh, wo, rowBytes, f16, esz);
    rows += rowBytes << 1;
    o += <usize>(wo << 1) * esz;
  }
  if (count & 1) row<u8, u8>(g, true, rows, w0, bias, co, o, 0, kh, 1);
}

/**
 * pairRowsOf for rows of 8 to 15 columns: four rows of 8 columns a block (quadOf), the rest of
 * the columns and rows by row(). Its own functions: inlined into pairRows3/5, it made their
 * 16-column blocks slower.
 */
// @ts-ignore: decorator
@inline function quadRowsOf(g: Rows, rows: usize, w0: usize, bias: usize, co: i32, o: usize, kw: i32, count: i32): void {
  const kh = g.kh, wo = g.wo, rowBytes = g.rowStep, f16 = g.f16, esz = g.oesz;
  const bv = biasLanes(bias, co, f16);
  let t = 0;
  for (; t + 3 < count; t += 4) {
    quadOf(g, rows, w0, bv, co, o, kw, rowBytes, f16, esz);
    if (wo > 8) row<u8, u8>(g, true, rows, w0, bias, co, o, 0, kh, 4, 8);
    rows += rowBytes << 2;
    o += <usize>(wo << 2) * esz;
  }
  if (t < count) row<u8, u8>(g, true, rows, w0, bias, co, o, 0, kh, count - t);
}

/** quadRowsOf for 3x3 kernels. */
function quadRows3(g: Rows, rows: usize, w0: usize, bias: usize, co: i32, o: usize, count: i32): void {
  quadRowsOf(g, rows, w0, bias, co, o, 3, count);
}

/** quadRowsOf for 5x5 kernels. */
function quadRows5(g: Rows, rows: usize, w0: usize, bias: usize, co: i32, o: usize, count: i32): void {
  quadRowsOf(g, rows, w0, bias, co, o, 5, count);
}

/**
 * Rows oh .. oh + 3, columns [0, 8), of quadRowsOf (kw x kw, rows: oh's first buffered input
 * row, o: oh's output): input row r feeds row oh + t through kernel row r - t; each
 * accumulator adds its taps in vectors' order.
 */
// @ts-ignore: decorator
@inline function quadOf(g: Rows, rows: usize, w0: usize, bv: v128, co: i32, o: usize, kw: i32, rowBytes: usize, f16: bool, esz: usize): void {
  let a0 = bv, a1 = bv, b0 = bv, b1 = bv, c0 = bv, c1 = bv, d0 = bv, d1 = bv;
  let p = rows;
  const kRow = <usize>kw << 2;
  for (let r = 0; r < kw + 3; r++) {
    const wr = w0 + <usize>r * kRow; // kernel row r's weights (row oh's)
    for (let j = 0; j < kw; j++) {
      const q = p + (<usize>j << 2), wj = wr + (<usize>j << 2);
      const x0 = v128.load(q), x1 = v128.load(q, 16);
      if (r < kw) {
        const v = v128.load32_splat(wj);
        a0 = madd(a0, x0, v);
        a1 = madd(a1, x1, v);
      }
      if (r >= 1 && r < kw + 1) {
        const v = v128.load32_splat(wj - kRow);
        b0 = madd(b0, x0, v);
        b1 = madd(b1, x1, v);
      }
      if (r >= 2 && r < kw + 2) {
        const v = v128.load32_splat(wj - 2 * kRow);
        c0 = madd(c0, x0, v);
        c1 = madd(c1, x1, v);
      }
      if (r >= 3) {
        const v = v128.load32_splat(wj - 3 * kRow);
        d0 = madd(d0, x0, v);
        d1 = madd(d1, x1, v);
      }
    }
    p += rowBytes;
  }
  const next = <usize>g.wo * esz;
  storeBlock(g, co, a0, a1, a0, a0, a0, a0, a0, a0, 1, 2, o, g.outPlane, 4, f16);
  storeBlock(g, co, b0, b1, b0, b0, b0, b0, b0, b0, 1, 2, o + next, g.outPlane, 4, f16);
  storeBlock(g, co, c0, c1, c0, c0, c0, c0, c0, c0, 1, 2, o + 2 * next, g.outPlane, 4, f16);
  storeBlock(g, co, d0, d1, d0, d0, d0, d0, d0, d0, 1, 2, o + 3 * next, g.outPlane, 4, f16);
}

/** Rows oh and oh + 1 of pairRowsOf (rows: oh's first buffered input row, o: oh's output). */
// @ts-ignore: decorator
@inline function pairOf(g: Rows, rows: usize, w0: usize, bv: v128, bias: usize, co: i32, o: usize, kw: i32, kh: i32, wo: i32, rowBytes: usize, f16: bool, esz: usize): void {
  const o2 = o + <usize>wo * esz;
  let ow = 0;
  for (; ow + 16 <= wo; ow += 16) {
    let a0 = bv, a1 = bv, a2 = bv, a3 = bv, b0 = bv, b1 = bv, b2 = bv, b3 = bv;
    let p = rows + (<usize>ow << 2);
    for (let r = 0; r <= kh; r++) {
      const wa = w0 + (<usize>(r * kw) << 2); // row oh's kernel row r
      const wb = wa - (<usize>kw << 2); // row oh + 1's kernel row r - 1
      for (let j = 0; j < kw; j++) {
        const q = p + (<usize>j << 2);
        const x0 = v128.load(q), x1 = v128.load(q, 16), x2 = v128.load(q, 32), x3 = v128.load(q, 48);
        if (r < kh) {
          const v = v128.load32_splat(wa + (<usize>j << 2));
          a0 = madd(a0, x0, v);
          a1 = madd(a1, x1, v);
          a2 = madd(a2, x2, v);
          a3 = madd(a3, x3, v);
        }
        if (r > 0) {
          const v = v128.load32_splat(wb + (<usize>j << 2));
          b0 = madd(b0, x0, v);
          b1 = madd(b1, x1, v);
          b2 = madd(b2, x2, v);
          b3 = madd(b3, x3, v);
        }
      }
      p += rowBytes;
    }
    storeBlock(g, co, a0, a1, a2, a3, a0, a0, a0, a0, 1, 4, o + <usize>ow * esz, g.outPlane, 4, f16);
    storeBlock(g, co, b0, b1, b2, b3, b0, b0, b0, b0, 1, 4, o2 + <usize>ow * esz, g.outPlane, 4, f16);
  }
  if (ow < wo) row<u8, u8>(g, true, rows, w0, bias, co, o, 0, kh, 2, ow);
}

/** pairRowsOf for 3x3 kernels. */
function pairRows3(g: Rows, rows: usize, w0: usize, bias: usize, co: i32, o: usize, count: i32): void {
  pairRowsOf(g, rows, w0, bias, co, o, 3, count);
}

/** pairRowsOf for 5x5 kernels. */
function pairRows5(g: Rows, rows: usize, w0: usize, bias: usize, co: i32, o: usize, count: i32): void {
  pairRowsOf(g, rows, w0, bias, co, o, 5, count);
}

/** row<C, S> for the call's stride (masked rows: one instance for every stride). */
// @ts-ignore: decorator
@inline function rowOf<C>(g: Rows, plain: bool, rows: usize, w0: usize, bias: usize, co: i32, o: usize, iLo: i32, iHi: i32, count: i32): void {
  if (!plain) row<C, u64>(g, false, rows, w0, bias, co, o, iLo, iHi, 1);
  else if (g.sw == 1) row<C, u8>(g, true, rows, w0, bias, co, o, iLo, iHi, count);
  else if (g.sw == 2) row<C, u16>(g, true, rows, w0, bias, co, o, iLo, iHi, count);
  else row<C, u64>(g, true, rows, w0, bias, co, o, iLo, iHi, count);
}

/**
 * True when adding the taps in the padding (the buffered rows' zeros) gives the bits of
 * skipping them, for n channels with float32 weights at wts (K each) and their biases: +0 * w
 * is +-0 for a finite w, and acc + +-0 is acc unless acc is -0, which a sum can only be if it
 * started at a bias of -0.
 */
function zerosAreSkips(wts: usize, count: i32, bias: usize, co: i32, n: i32, f16: bool): bool {
  let bad = i32x4.splat(0);
  const exp = i32x4.splat(0x7f800000);
  let i = 0;
  for (; i + 4 <= count; i += 4) bad = v128.or(bad, i32x4.eq(v128.and(v128.load(wts + (<usize>i << 2)), exp), exp));
  for (; i < count; i++) if ((load<u32>(wts + (<usize>i << 2)) & 0x7f800000) == 0x7f800000) return false;
  if (v128.any_true(bad)) return false;
  if (bias) {
    for (let k = 0; k < n; k++) {
      if (f16 ? load<u16>(bias + (<usize>(co + k) << 1)) == 0x8000 : load<u32>(bias + (<usize>(co + k) << 2)) == 0x80000000) return false;
    }
  }
  return true;
}

/**
 * Bytes at the start of a thread's scratch (src/runtime/float-conv.ts ROWS_HEADER): Rows, then
 * from QUANT_TMP the eight vectors of a block to quantize, from Q_TABLE the quantize lanes.
 */
const ROWS_HEADER: usize = 2048;
const QUANT_TMP: usize = 256;
/** The chunk's table of quantize lanes (readQuantize): Q_ENTRY bytes a channel, up to 32 (MAX_BLOCK). */
const Q_TABLE: usize = 384;
const Q_ENTRY: usize = 48;

/**
 * The fused npu_quantize of the epilogue block at epi (0: none) into g, and when g.qfast holds,
 * the table of quantizeNormal's lanes for the chunk's nco channels from co0.
 */
function readQuantize(g: Rows, epi: usize, cout: i32, co0: i32, nco: i32): void {
  g.quant = epi ? load<i32>(epi + (<usize>E_QUANT << 2)) : 0;
  if (g.quant == 0) return;
  const channels = load<i32>(epi + (<usize>E_QCHANNELS << 2));
  g.qparams = <usize>load<u32>(epi + (<usize>E_QPARAMS << 2));
  g.qstep = channels == cout && channels > 1 ? 4 : 0;
  g.qarray = <usize>channels << 2;
  g.qdiv = load<i32>(epi + (<usize>E_QDIV << 2)) != 0;
  g.qlo = load<i32>(epi + (<usize>E_QLO << 2));
  g.qhi = load<i32>(epi + (<usize>E_QHI << 2));
  let fast = g.quant == DTYPE_I8 ? g.qlo == -128 && g.qhi == 127 : g.qlo == 0 && g.qhi == 255;
  // Only the chunk's channels decide (a depthwise conv's chunk holds a few).
  for (let c = 0; c < (g.qstep ? nco : 1); c++) {
    const q = g.qparams + <usize>(co0 + c) * g.qstep;
    const f = load<f32>(q), z = load<f32>(q + g.qarray);
    fast = fast && abs(f) < Infinity && z == <f32><i32>z && abs(z) < 512;
  }
  g.qfast = fast;
  g.qco0 = co0;
  if (!fast) return;
  for (let c = 0; c < nco; c++) {
    const q = g.qparams + <usize>(co0 + c) * g.qstep;
    const z = v128.load32_splat(q + g.qarray);
    const div = i32x4.splat(g.qdiv ? -1 : 0);
    const e = changetype<usize>(g) + Q_TABLE + <usize>c * Q_ENTRY;
    v128.store(e, v128.load32_splat(q));
    v128.store(e, v128.andnot(z, div), 16);
    v128.store(e, i32x4.sub(i32x4.splat(0x4b400000), v128.and(i32x4.trunc_sat_f32x4_s(z), div)), 32);
  }
}

/**
 * Output rows [oh0, oh1) of the nco channels from co0 of one group (its input channels at xg,
 * the channels' float32 weights at wts, output planes at out). Rows are buffered as the band
 * advances (g.buffered). g.plain: rows of the padding are buffered as zeros and added like any
 * (the same bits, see zerosAreSkips), so every output row takes all kh kernel rows, and strips
 * of about STRIP results a channel are computed a call; otherwise one row a call, its kernel
 * rows in the padding skipped.
 */
function bandRows(g: Rows, xg: usize, wts: usize, bias: usize, co0: i32, nco: i32, out: usize, oh0: i32, oh1: i32): void {
  const kh = g.kh, sh = g.sh, pt = g.pt, dh = g.dh, h = g.h;
  const plain = g.plain, rowBytes = g.rowBytes;
  const buffered = g.buffered;
  // Buffered rows from ihLo on (plain: the padded input's, rows of zeros outside).
  const ihLo = plain ? oh0 * sh - pt : max(0, oh0 * sh - pt);
  let built = ihLo; // rows [ihLo, built) are buffered
  const strip = plain ? max(2, (STRIP / g.wo) & ~1) : 1; // even: pairs of rows
  for (let oh = oh0; oh < oh1;) {
    const end = min(oh1, oh + strip);
    const ih0 = oh * sh - pt;
    let iLo = 0, iHi = kh;
    if (!plain) {
      while (iLo < kh && ih0 + iLo * dh < 0) iLo++;
      while (iHi > iLo && ih0 + (iHi - 1) * dh >= h) iHi--;
    }
    const last = (end - 1) * sh - pt + (kh - 1) * dh + 1;
    const need = plain ? last : min(h, last);
    if (built < need) {
      bufferRows(g, xg, ihLo, built, need);
      built = need;
    }
    // Kernel row iLo's buffered row (unused when every kernel row is padding).
    const rows = iLo < iHi ? buffered + <usize>(ih0 + iLo * dh - ihLo) * rowBytes : buffered;
    const o = out + <usize>oh * <usize>g.wo * g.oesz;
    const count = end - oh;
    oh = end;
    if (g.pairs) {
      for (let k = 0; k < nco; k++) {
        const w0 = wts + <usize>k * g.wsz, ok = o + <usize>k * g.outPlane;
        if (g.wo < 16) {
          if (g.kw == 3) quadRows3(g, rows, w0, bias, co0 + k, ok, count);
          else quadRows5(g, rows, w0, bias, co0 + k, ok, count);
        } else if (g.kw == 3) pairRows3(g, rows, w0, bias, co0 + k, ok, count);
        else pairRows5(g, rows, w0, bias, co0 + k, ok, count);
      }
      continue;
    }
    let k = 0;
    for (; k + 4 <= nco; k += 4) rowOf<u32>(g, plain, rows, wts + <usize>k * g.wsz, bias, co0 + k, o + <usize>k * g.outPlane, iLo, iHi, count);
    if (k + 2 <= nco) {
      rowOf<u16>(g, plain, rows, wts + <usize>k * g.wsz, bias, co0 + k, o + <usize>k * g.outPlane, iLo, iHi, count);
      k += 2;
    }
    if (k < nco) rowOf<u8>(g, plain, rows, wts + <usize>k * g.wsz, bias, co0 + k, o + <usize>k * g.outPlane, iLo, iHi, count);
  }
}

/** Buffers input rows [from, to) (rows outside the input: zeros) of the cinPG channels at xg (bandRows). */
function bufferRows(g: Rows, xg: usize, ihLo: i32, from: i32, to: i32): void {
  const h = g.h, cinPG = g.cinPG, chanBytes = g.chanBytes, len = g.L * g.sw;
  for (let ih = from; ih < to; ih++) {
    const dst = g.buffered + <usize>(ih - ihLo) * g.rowBytes;
    for (let ci = 0; ci < cinPG; ci++) {
      if (ih < 0 || ih >= h) zeroFloats(dst + <usize>ci * chanBytes, 0, len);
      else bufferRow(xg + <usize>ci * g.plane + <usize>ih * g.rs, g.cs, g.w, g.pl, g.sw, g.L, dst + <usize>ci * chanBytes, g.stage, g.f16);
    }
  }
}

/** Results of one channel a plain band's call computes at least (bandRows). */
const STRIP = 256;

/**
 * Output rows [oh0, oh1) of channels [co0, co0 + nco) of one image (chunk c of pool.ts): of one
 * group, or for a depthwise conv (one input and one output channel a group) of nco groups, one
 * after the other with one setup.
 */
export function floatConvChunk(plan: usize, c: i32, tid: i32): void {
  const cin = pf(plan, P_CIN), h = pf(plan, P_H), w = pf(plan, P_W), cout = pf(plan, P_COUT);
  const kh = pf(plan, P_KH), kw = pf(plan, P_KW), sh = pf(plan, P_SH), sw = pf(plan, P_SW);
  const pt = pf(plan, P_PH), pl = pf(plan, P_PW), dh = pf(plan, P_DH), dw = pf(plan, P_DW);
  const ho = pf(plan, P_HO), wo = pf(plan, P_WO), groups = pf(plan, P_GROUPS);
  const f16 = pf(plan, P_ODTYPE) == DTYPE_F16;
  const esz: usize = f16 ? 2 : 4;
  const plane = <usize>pf(plan, P_XCHANNEL) * esz;
  const image = <usize>pf(plan, P_XIMAGE) * esz;
  const band = pf(plan, P_FBAND), block = pf(plan, P_FBLOCK), L = pf(plan, P_FPHASE);
  const cinPG = cin / groups, coutPG = cout / groups;
  // A depthwise conv's block of channels spans groups (src/runtime/float-conv.ts).
  const depthwise = cinPG == 1 && coutPG == 1;
  const blocks = ((depthwise ? cout : coutPG) + block - 1) / block;
  const bands = (ho + band - 1) / band;
  // Chunk c = ((image * groups + group) * blocks + block) * bands + band (depthwise: image * blocks + block).
  let q = c / bands;
  const oh0 = (c % bands) * band;
  const oh1 = min(ho, oh0 + band);
  const cb = q % blocks;
  q /= blocks;
  const grp = depthwise ? cb * block : q % groups;
  const n = depthwise ? q : q / groups;
  const co0 = depthwise ? grp : grp * coutPG + cb * block;
  const nco = min(block, (depthwise ? cout : coutPG) - cb * block);
  // Scratch: the row geometry (ROWS_HEADER bytes), the buffered rows (cinPG channels of maxRows
  // rows), the stage, the float32 weights.
  const g = changetype<Rows>(pp(plan, P_SCRATCH) + <usize>tid * <usize>pf(plan, P_SCRATCH_STRIDE));
  const buffered = changetype<usize>(g) + ROWS_HEADER;
  const phase = <usize>L << 2;
  const rowBytes = <usize>sw * phase;
  const maxRows = (band - 1) * sh + (kh - 1) * dh + 1;
  const chanBytes = <usize>maxRows * rowBytes;
  const stage = buffered + <usize>cinPG * chanBytes;
  const K = cinPG * kh * kw;
  let wts = pp(plan, P_WPACK) + <usize>co0 * <usize>K * esz;
  {
    const wide = stage + (sw > 1 ? rowBytes : 0);
    if (f16) widenF16(wts, wide, nco * K);
    else memory.copy(wide, wts, <usize>(nco * K) << 2);
    wts = wide;
  }
  const bias = pp(plan, P_BIAS);
  // zeroTaps: the padding is a fused constant_pad_nd's zeros, taps like any other (rows too).
  const zeroTaps = pf(plan, P_FZEROTAPS) != 0;
  const plain = zeroTaps || zerosAreSkips(wts, nco * K, bias, co0, nco, f16);
  g.chanBytes = chanBytes;
  g.rowBytes = rowBytes;
  g.rowStep = <usize>dh * rowBytes;
  g.phase = phase;
  g.wsz = <usize>K << 2;
  readQuantize(g, pp(plan, P_EPI), cout, co0, nco);
  g.oesz = g.quant != 0 ? 1 : esz;
  g.outPlane = <usize>ho * <usize>wo * g.oesz;
  g.cinPG = cinPG;
  g.kh = kh;
  g.kw = kw;
  g.sh = sh;
  g.sw = sw;
  g.pt = pt;
  g.dh = dh;
  g.dw = dw;
  g.pl = pl;
  g.h = h;
  g.w = w;
  g.wo = wo;
  g.L = L;
  g.cs = pf(plan, P_XCOL);
  g.rs = <usize>pf(plan, P_XROW) * esz;
  g.plane = plane;
  g.buffered = buffered;
  g.stage = stage;
  g.lo = min((pl + sw - 1) / sw, wo);
  const lastStart = w - 1 - (kw - 1) * dw + pl; // largest ow * sw whose window ends inside
  g.hi = lastStart < 0 ? g.lo : max(g.lo, min(wo, lastStart / sw + 1));
  g.f16 = f16;
  g.plain = plain;
  // Depthwise 3x3 / 5x5, stride and dilation 1, taps added: pairs or quads of rows (pairRows3/5).
  g.pairs = plain && cinPG == 1 && sw == 1 && sh == 1 && dw == 1 && dh == 1 && kw == kh && (kw == 3 || kw == 5) && wo >= 8;
  const xg = pp(plan, P_IN) + <usize>n * image + <usize>(grp * cinPG) * plane;
  const out = pp(plan, P_OUT) + <usize>(n * cout + co0) * g.outPlane;
  if (!depthwise) {
    bandRows(g, xg, wts, bias, co0, nco, out, oh0, oh1);
    return;
  }
  for (let k = 0; k < nco; k++) {
    bandRows(g, xg + <usize>k * plane, wts + <usize>k * g.wsz, bias, co0 + k, 1, out + <usize>k * g.outPlane, oh0, oh1);
  }
}
