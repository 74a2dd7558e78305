// Float conv2d (float32 and float16 results) on float32 NCHW data, with the arithmetic of
// docs/semantics/float-ops.md: every output starts at its bias (or +0) and adds
// f32(x * w) in float32 for ci, kh, kw ascending, skipping padded taps; no fma. SIMD lanes are
// four output pixels of one row, so each lane runs its own sequential reduction and the bits
// equal the cpu's kernels/conv2d.ts. NaN results are stored as the canonical quiet NaN.
//
// Work is cut into chunks of (image, block of four output channels, output row) for the
// thread pool (pool.ts, MODE_FLOAT_CONV). A block whose four channels share a group loads each
// input vector once for all four (pointwise and grouped convs, 8 columns per step); other
// channels (depthwise, a block straddling groups, the last partial block) run one at a time,
// 16 columns per step. Columns whose window leaves the input (the padding border) are done per
// pixel with every tap checked, lanes = the block's four channels where it has four (the taps
// to skip are the same for all), else one channel.
//
// The JS side (src/kernels/conv2d.ts) widens float16 inputs, weights and bias to float32
// first (exact), so the loops only read float32; the weights are plain OIHW. A float32 input
// may be a view: its row, channel and image strides come with the plan (its W stride is 1).

import { pf, pp } from "./plan";
import {
  P_CIN, P_H, P_W, P_COUT, P_KH, P_KW, P_SH, P_SW, P_PH, P_PW, P_DH, P_DW, P_HO, P_WO,
  P_IN, P_BIAS, P_OUT, P_WPACK, P_GROUPS, P_ODTYPE, P_XROW, P_XCHANNEL, P_XIMAGE, DTYPE_F16,
} from "../src/abi";
import { f32x4ToF16 } from "./f16";
import { f16ToF32 } from "./ops/lanes";

const NAN32: i32 = 0x7fc00000;

/** Four lanes at p, p + s, p + 2s, p + 3s (s in elements), without reading past the last. */
// @ts-ignore: decorator
@inline function loadX(p: usize, s: i32): v128 {
  if (s == 1) return v128.load(p);
  if (s == 2) return i32x4.shuffle(v128.load(p), v128.load(p + 12), 0, 2, 5, 7);
  const b = <usize>s << 2;
  let v = v128.load32_zero(p);
  v = f32x4.replace_lane(v, 1, load<f32>(p + b));
  v = f32x4.replace_lane(v, 2, load<f32>(p + 2 * b));
  return f32x4.replace_lane(v, 3, load<f32>(p + 3 * b));
}

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

/** The columns [lo, hi) whose window stays inside the input (no tap in the padding). */
// @ts-ignore: decorator
@inline function interiorLo(pl: i32, sw: i32): i32 {
  return (pl + sw - 1) / sw;
}
// @ts-ignore: decorator
@inline function interiorHi(w: i32, kw: i32, dw: i32, pl: i32, sw: i32, wo: i32, lo: i32): i32 {
  const last = w - 1 - (kw - 1) * dw + pl; // largest ow * sw allowed
  if (last < 0) return lo;
  const hi = last / sw + 1;
  return hi < lo ? lo : hi > wo ? wo : hi;
}

/**
 * `pv` (1 or 2) vectors of four columns from input column iw0 on, for `nc` (1..4) channels
 * whose weights start at w0 .. w3 and that read the same input (one group); stored at `o` and
 * the next channels' planes. Taps run over kernel rows [iLo, iHi) (the others fall in the
 * padding for this row).
 */
// @ts-ignore: decorator
@inline function sharedColumns(
  xc: usize, plane: usize, rs: i32, w0: usize, w1: usize, w2: usize, w3: usize,
  b0: v128, b1: v128, b2: v128, b3: v128, o: usize, outPlane: usize, nc: i32, pv: i32,
  cinPG: i32, kh: i32, kw: i32, sw: i32, dh: i32, dw: i32, ih0: i32, iLo: i32, iHi: i32, iw0: i32, f16: bool,
): void {
  const step = <usize>sw << 4; // bytes between the two vectors' first pixels (4 pixels apart)
  let a0 = b0, a1 = b1, a2 = b2, a3 = b3, c0 = b0, c1 = b1, c2 = b2, c3 = b3;
  for (let ci = 0; ci < cinPG; ci++) {
    const xp = xc + <usize>ci * plane;
    const wo = <usize>(ci * kh * kw) << 2;
    for (let i = iLo; i < iHi; i++) {
      const row = xp + (<usize>((ih0 + i * dh) * rs + iw0) << 2);
      const wr = wo + (<usize>(i * kw) << 2);
      for (let j = 0; j < kw; j++) {
        const p = row + (<usize>(j * dw) << 2);
        const x0 = loadX(p, sw);
        const x1 = pv > 1 ? loadX(p + step, sw) : x0;
        const wj = wr + (<usize>j << 2);
        const v0 = v128.load32_splat(w0 + wj);
        a0 = madd(a0, x0, v0);
        if (pv > 1) c0 = madd(c0, x1, v0);
        if (nc > 1) { const v1 = v128.load32_splat(w1 + wj); a1 = madd(a1, x0, v1); if (pv > 1) c1 = madd(c1, x1, v1); }
        if (nc > 2) { const v2 = v128.load32_splat(w2 + wj); a2 = madd(a2, x0, v2); if (pv > 1) c2 = madd(c2, x1, v2); }
        if (nc > 3) { const v3 = v128.load32_splat(w3 + wj); a3 = madd(a3, x0, v3); if (pv > 1) c3 = madd(c3, x1, v3); }
      }
    }
  }
  const next: usize = f16 ? 8 : 16; // the second vector's bytes in the output
  store4(o, a0, f16);
  if (pv > 1) store4(o + next, c0, f16);
  if (nc > 1) { store4(o + outPlane, a1, f16); if (pv > 1) store4(o + outPlane + next, c1, f16); }
  if (nc > 2) { store4(o + 2 * outPlane, a2, f16); if (pv > 1) store4(o + 2 * outPlane + next, c2, f16); }
  if (nc > 3) { store4(o + 3 * outPlane, a3, f16); if (pv > 1) store4(o + 3 * outPlane + next, c3, f16); }
}

/**
 * One output row of `nc` (2..4) channels co .. co + nc - 1 that share an input group, for
 * columns [lo, hi) inside the input, 8 then 4 columns at a time; returns the first column not
 * done. Inlined so that each call site's constant nc and sw drop the unused lanes and loads.
 */
// @ts-ignore: decorator
@inline function rowShared(
  xc: usize, plane: usize, rs: i32, wt: usize, bias: usize, out: usize, co: i32, nc: i32,
  cinPG: i32, kh: i32, kw: i32, sw: i32, dh: i32, dw: i32,
  ih0: i32, iLo: i32, iHi: i32, pl: i32, lo: i32, hi: i32, outPlane: usize, f16: bool,
): i32 {
  const wsz = <usize>(cinPG * kh * kw) << 2; // bytes of one channel's weights
  const w0 = wt + <usize>co * wsz;
  const w1 = nc > 1 ? w0 + wsz : w0;
  const w2 = nc > 2 ? w0 + 2 * wsz : w0;
  const w3 = nc > 3 ? w0 + 3 * wsz : w0;
  const b0 = bias ? f32x4.splat(load<f32>(bias + (<usize>co << 2))) : f32x4.splat(0);
  const b1 = bias && nc > 1 ? f32x4.splat(load<f32>(bias + (<usize>(co + 1) << 2))) : f32x4.splat(0);
  const b2 = bias && nc > 2 ? f32x4.splat(load<f32>(bias + (<usize>(co + 2) << 2))) : f32x4.splat(0);
  const b3 = bias && nc > 3 ? f32x4.splat(load<f32>(bias + (<usize>(co + 3) << 2))) : f32x4.splat(0);
  const esz: usize = f16 ? 2 : 4;
  let ow = lo;
  for (; ow + 8 <= hi; ow += 8) {
    sharedColumns(xc, plane, rs, w0, w1, w2, w3, b0, b1, b2, b3, out + <usize>ow * esz, outPlane, nc, 2,
      cinPG, kh, kw, sw, dh, dw, ih0, iLo, iHi, ow * sw - pl, f16);
  }
  for (; ow + 4 <= hi; ow += 4) {
    sharedColumns(xc, plane, rs, w0, w1, w2, w3, b0, b1, b2, b3, out + <usize>ow * esz, outPlane, nc, 1,
      cinPG, kh, kw, sw, dh, dw, ih0, iLo, iHi, ow * sw - pl, f16);
  }
  return ow;
}

/**
 * `pv` (1 or 4) vectors of four columns of one channel (input planes at xc, weights at wc)
 * from input column iw0 on, stored at `o`.
 */
// @ts-ignore: decorator
@inline function singleColumns(
  xc: usize, plane: usize, rs: i32, wc: usize, bv: v128, o: usize, pv: i32,
  cinPG: i32, kh: i32, kw: i32, sw: i32, dh: i32, dw: i32, ih0: i32, iLo: i32, iHi: i32, iw0: i32, f16: bool,
): void {
  const step = <usize>sw << 4;
  let a0 = bv, a1 = bv, a2 = bv, a3 = bv;
  for (let ci = 0; ci < cinPG; ci++) {
    const xp = xc + <usize>ci * plane;
    const wp = wc + (<usize>(ci * kh * kw) << 2);
    for (let i = iLo; i < iHi; i++) {
      let p = xp + (<usize>((ih0 + i * dh) * rs + iw0) << 2);
      let q = wp + (<usize>(i * kw) << 2);
      for (let j = 0; j < kw; j++) {
        const v = v128.load32_splat(q);
        a0 = madd(a0, loadX(p, sw), v);
        if (pv > 1) {
          a1 = madd(a1, loadX(p + step, sw), v);
          a2 = madd(a2, loadX(p + 2 * step, sw), v);
          a3 = madd(a3, loadX(p + 3 * step, sw), v);
        }
        p += <usize>dw << 2;
        q += 4;
      }
    }
  }
  const next: usize = f16 ? 8 : 16;
  store4(o, a0, f16);
  if (pv > 1) {
    store4(o + next, a1, f16);
    store4(o + 2 * next, a2, f16);
    store4(o + 3 * next, a3, f16);
  }
}

/**
 * One output row of channel `co` (its input planes at xc) for columns [lo, hi), 16 then 4
 * columns at a time (depthwise convs, and channels no block shares); returns the first column
 * not done. Inlined per call site for a constant sw.
 */
// @ts-ignore: decorator
@inline function rowSingle(
  xc: usize, plane: usize, rs: i32, wc: usize, b: f32, out: usize, cinPG: i32, kh: i32, kw: i32,
  sw: i32, dh: i32, dw: i32, ih0: i32, iLo: i32, iHi: i32, pl: i32, lo: i32, hi: i32, f16: bool,
): i32 {
  const bv = f32x4.splat(b);
  const esz: usize = f16 ? 2 : 4;
  let ow = lo;
  for (; ow + 16 <= hi; ow += 16) {
    singleColumns(xc, plane, rs, wc, bv, out + <usize>ow * esz, 4, cinPG, kh, kw, sw, dh, dw, ih0, iLo, iHi, ow * sw - pl, f16);
  }
  for (; ow + 4 <= hi; ow += 4) {
    singleColumns(xc, plane, rs, wc, bv, out + <usize>ow * esz, 1, cinPG, kh, kw, sw, dh, dw, ih0, iLo, iHi, ow * sw - pl, f16);
  }
  return ow;
}

/** What the lanes of checkedTaps hold. */
const LANES_ONE = 0; // one channel (lane 0 counts)
const LANES_SHARED = 1; // four channels of one group: the same input
const LANES_OWN = 2; // four channels, each its own input plane (depthwise)

/**
 * One output pixel with every tap checked against the input (the padding border, where the
 * taps to skip are the same for every lane): acc + the taps for ci, kh, kw ascending. xc:
 * the first channel's input planes; wc: its weights (the next lane's at + wsz).
 */
// @ts-ignore: decorator
@inline function checkedTaps(
  xc: usize, plane: usize, rs: i32, wc: usize, wsz: usize, acc: v128, lanes: i32,
  cinPG: i32, h: i32, w: i32, kh: i32, kw: i32, ih0: i32, iw0: i32, dh: i32, dw: i32,
): v128 {
  for (let ci = 0; ci < cinPG; ci++) {
    const xp = xc + <usize>ci * plane;
    const wp = wc + (<usize>(ci * kh * kw) << 2);
    for (let i = 0; i < kh; i++) {
      const ih = ih0 + i * dh;
      if (ih < 0 || ih >= h) continue;
      for (let j = 0; j < kw; j++) {
        const iw = iw0 + j * dw;
        if (iw < 0 || iw >= w) continue;
        const px = xp + (<usize>(ih * rs + iw) << 2);
        let x = v128.load32_splat(px);
        if (lanes == LANES_OWN) {
          x = f32x4.replace_lane(x, 1, load<f32>(px + plane));
          x = f32x4.replace_lane(x, 2, load<f32>(px + 2 * plane));
          x = f32x4.replace_lane(x, 3, load<f32>(px + 3 * plane));
        }
        const q = wp + (<usize>(i * kw + j) << 2);
        let wv = v128.load32_splat(q);
        if (lanes != LANES_ONE) {
          wv = f32x4.replace_lane(wv, 1, load<f32>(q + wsz));
          wv = f32x4.replace_lane(wv, 2, load<f32>(q + 2 * wsz));
          wv = f32x4.replace_lane(wv, 3, load<f32>(q + 3 * wsz));
        }
        acc = madd(acc, x, wv);
      }
    }
  }
  return acc;
}

/** Border pixel of channel wc's output at `out`, one lane. */
function scalarOutput(
  xc: usize, plane: usize, rs: i32, wc: usize, b: f32, cinPG: i32, h: i32, w: i32, kh: i32, kw: i32,
  ih0: i32, iw0: i32, dh: i32, dw: i32,
): f32 {
  return f32x4.extract_lane(checkedTaps(xc, plane, rs, wc, 0, f32x4.splat(b), LANES_ONE, cinPG, h, w, kh, kw, ih0, iw0, dh, dw), 0);
}

/** Border pixel of four channels (LANES_SHARED or LANES_OWN), stored to their four planes. */
// @ts-ignore: decorator
@inline function borderPixel4(
  xc: usize, plane: usize, rs: i32, w0: usize, wsz: usize, bv: v128, out: usize, outPlane: usize, lanes: i32,
  cinPG: i32, h: i32, w: i32, kh: i32, kw: i32, ih0: i32, iw0: i32, dh: i32, dw: i32, f16: bool,
): void {
  const acc = checkedTaps(xc, plane, rs, w0, wsz, bv, lanes, cinPG, h, w, kh, kw, ih0, iw0, dh, dw);
  store1(out, f32x4.extract_lane(acc, 0), f16);
  store1(out + outPlane, f32x4.extract_lane(acc, 1), f16);
  store1(out + 2 * outPlane, f32x4.extract_lane(acc, 2), f16);
  store1(out + 3 * outPlane, f32x4.extract_lane(acc, 3), f16);
}

/**
 * One output row of a block of up to four channels starting at `co` (chunk of pool.ts).
 * Chunk c = ((image * blocks) + block) * hOut + row.
 */
export function floatConvChunk(plan: usize, c: i32): void {
  const cin = pf(plan, P_CIN), h = pf(plan, P_H), w = pf(plan, P_W), cout = pf(plan, P_COUT);
  const kh = pf(plan, P_KH), kw = pf(plan, P_KW), sh = pf(plan, P_SH), sw = pf(plan, P_SW);
  const pt = pf(plan, P_PH), pl = pf(plan, P_PW), dh = pf(plan, P_DH), dw = pf(plan, P_DW);
  const ho = pf(plan, P_HO), wo = pf(plan, P_WO), groups = pf(plan, P_GROUPS);
  const f16 = pf(plan, P_ODTYPE) == DTYPE_F16;
  const x = pp(plan, P_IN), wt = pp(plan, P_WPACK), bias = pp(plan, P_BIAS), out = pp(plan, P_OUT);
  // Input strides in elements (W's is 1): rows, channels, images.
  const rs = pf(plan, P_XROW);
  const plane = <usize>pf(plan, P_XCHANNEL) << 2;
  const image = <usize>pf(plan, P_XIMAGE) << 2;
  const cinPG = cin / groups, coutPG = cout / groups;
  const blocks = (cout + 3) >> 2;
  const oh = c % ho;
  const nb = c / ho;
  const co0 = (nb % blocks) << 2;
  const n = nb / blocks;
  const nc = min(4, cout - co0);
  const esz: usize = f16 ? 2 : 4;
  const outPlane = <usize>ho * <usize>wo * esz;
  const ih0 = oh * sh - pt;
  let iLo = 0, iHi = kh;
  while (iLo < kh && ih0 + iLo * dh < 0) iLo++;
  while (iHi > iLo && ih0 + (iHi - 1) * dh >= h) iHi--;
  const lo = min(interiorLo(pl, sw), wo);
  const hi = interiorHi(w, kw, dw, pl, sw, wo, lo);
  const wsz = <usize>(cinPG * kh * kw) << 2;
  const rowOut = out + ((<usize>(n * cout + co0) * <usize>ho + <usize>oh) * <usize>wo) * esz;
  const sameGroup = nc > 1 && co0 / coutPG == (co0 + nc - 1) / coutPG;
  let done = lo; // first column after the SIMD part, per channel
  if (sameGroup) {
    const xc = x + <usize>n * image + <usize>((co0 / coutPG) * cinPG) * plane;
    if (sw == 1) {
      if (nc == 4) done = rowShared(xc, plane, rs, wt, bias, rowOut, co0, 4, cinPG, kh, kw, 1, dh, dw, ih0, iLo, iHi, pl, lo, hi, outPlane, f16);
      else if (nc == 3) done = rowShared(xc, plane, rs, wt, bias, rowOut, co0, 3, cinPG, kh, kw, 1, dh, dw, ih0, iLo, iHi, pl, lo, hi, outPlane, f16);
      else done = rowShared(xc, plane, rs, wt, bias, rowOut, co0, 2, cinPG, kh, kw, 1, dh, dw, ih0, iLo, iHi, pl, lo, hi, outPlane, f16);
    } else {
      if (nc == 4) done = rowShared(xc, plane, rs, wt, bias, rowOut, co0, 4, cinPG, kh, kw, sw, dh, dw, ih0, iLo, iHi, pl, lo, hi, outPlane, f16);
      else if (nc == 3) done = rowShared(xc, plane, rs, wt, bias, rowOut, co0, 3, cinPG, kh, kw, sw, dh, dw, ih0, iLo, iHi, pl, lo, hi, outPlane, f16);
      else done = rowShared(xc, plane, rs, wt, bias, rowOut, co0, 2, cinPG, kh, kw, sw, dh, dw, ih0, iLo, iHi, pl, lo, hi, outPlane, f16);
    }
  }
  // Depthwise-like blocks (each channel its own group of one input channel): the SIMD rows
  // per channel, then the border four channels at a time.
  const ownPlanes = !sameGroup && nc == 4 && cinPG == 1 && coutPG == 1;
  for (let k = 0; k < nc; k++) {
    const co = co0 + k;
    const xc = x + <usize>n * image + <usize>((co / coutPG) * cinPG) * plane;
    const o = rowOut + <usize>k * outPlane;
    const wc = wt + <usize>co * wsz;
    const b: f32 = bias ? load<f32>(bias + (<usize>co << 2)) : 0;
    let end = done;
    if (!sameGroup) {
      end = sw == 1
        ? rowSingle(xc, plane, rs, wc, b, o, cinPG, kh, kw, 1, dh, dw, ih0, iLo, iHi, pl, lo, hi, f16)
        : rowSingle(xc, plane, rs, wc, b, o, cinPG, kh, kw, sw, dh, dw, ih0, iLo, iHi, pl, lo, hi, f16);
      if (ownPlanes) {
        done = end; // the same for every channel of the block
        continue;
      }
    }
    if (nc == 4 && sameGroup) continue; // border below
    for (let ow = 0; ow < wo; ow++) {
      if (ow == lo) ow = end; // [lo, end) done by SIMD
      if (ow >= wo) break;
      store1(o + <usize>ow * esz, scalarOutput(xc, plane, rs, wc, b, cinPG, h, w, kh, kw, ih0, ow * sw - pl, dh, dw), f16);
    }
  }
  if (nc == 4 && (sameGroup || ownPlanes)) {
    const xc = x + <usize>n * image + <usize>((co0 / coutPG) * cinPG) * plane;
    const w0 = wt + <usize>co0 * wsz;
    const bv = bias ? v128.load(bias + (<usize>co0 << 2)) : f32x4.splat(0);
    for (let ow = 0; ow < wo; ow++) {
      if (ow == lo) ow = done;
      if (ow >= wo) break;
      const o = rowOut + <usize>ow * esz;
      if (sameGroup) borderPixel4(xc, plane, rs, w0, wsz, bv, o, outPlane, LANES_SHARED, cinPG, h, w, kh, kw, ih0, ow * sw - pl, dh, dw, f16);
      else borderPixel4(xc, plane, rs, w0, wsz, bv, o, outPlane, LANES_OWN, cinPG, h, w, kh, kw, ih0, ow * sw - pl, dh, dw, f16);
    }
  }
}

/** n float16 bits at src -> n float32 at dst (exact; NaN payloads kept). */
export function widenF16(src: usize, dst: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    v128.store(dst + (<usize>i << 2), f16ToF32(i32x4.extend_low_i16x8_u(v128.load64_zero(src + (<usize>i << 1)))));
  }
  for (; i < n; i++) {
    store<f32>(dst + (<usize>i << 2), f32x4.extract_lane(f16ToF32(i32x4.splat(<i32>load<u16>(src + (<usize>i << 1)))), 0));
  }
}
