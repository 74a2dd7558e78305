// Phase 2 for MODE_DIRECT and MODE_IM2COL: the output as a GEMM, pixels x channels, K deep.
//
// Register tile: 2 output pixels x 16 output channels = 8 i32x4 accumulators whose lanes are
// 4 consecutive channels of one pixel. Per K pair: splat the pixel's (x[k], x[k+1]) int16 pair
// to all lanes, load the packed weights of 16 channels [(w0[k],w0[k+1]), (w1[k],w1[k+1]), ...]
// as four vectors, and i32x4.dot_i16x8_s them: each lane gets x[k]*w[k] + x[k+1]*w[k+1], which
// cannot overflow (int8 operands) and is added in int32 with wrap-around, as the spec wants.
// The order of the additions does not matter for wrapping int32 sums, so any split of the
// work gives the same bits.
//
// Why 2x16: V8's load32_splat costs more than a plain vector load, and measured on this
// kind of loop (K = 576, cache-resident) 2x16 ran at ~45 GMAC/s against ~30 for 4x8, 1x32,
// 3x16, 2x24 or a 2x-unrolled 2x16 (register pressure: 16 xmm registers on x64).

import { pf, pp } from "./plan";
import {
  P_MODE, P_CIN, P_COUT, P_KH, P_KW, P_SH, P_SW, P_DH, P_DW, P_HO, P_WO, P_CS, P_HP, P_WP, P_KP,
  P_NSEG, P_SEGLEN, P_SEGOFF, P_NCB, P_WPACK, P_PB, P_CBG, P_NPB, P_NCBG, P_PAD, P_SCRATCH,
  P_SCRATCH_STRIDE, P_BIASV, P_SCALEV, P_OUT, MODE_IM2COL,
} from "../src/abi";
import { f16NormalLanes, toF16 } from "./f16";
import { scaled, storeGroup } from "./epilogue";

/** The 2x16 tile's eight vectors of scaled results to float16, into 4 channel rows x 2 pixels each. */
// @ts-ignore: decorator
@inline function storeTile(
  y00: v128, y10: v128, y01: v128, y11: v128, y02: v128, y12: v128, y03: v128, y13: v128, normal: bool,
  out: usize, hwo: usize, ch: i32, cout: i32, cnt: i32,
): void {
  const row4 = (hwo << 1) << 2; // 4 channel rows
  storeGroup(toF16(y00, normal), toF16(y10, normal), out, hwo, ch, cout, cnt);
  storeGroup(toF16(y01, normal), toF16(y11, normal), out + row4, hwo, ch + 4, cout, cnt);
  storeGroup(toF16(y02, normal), toF16(y12, normal), out + 2 * row4, hwo, ch + 8, cout, cnt);
  storeGroup(toF16(y03, normal), toF16(y13, normal), out + 3 * row4, hwo, ch + 12, cout, cnt);
}

/**
 * One 2x16 tile over all of K. a0, a1: base of each pixel's int16 data; segOff[s] is added to
 * reach run s, whose `pairs` int16 pairs are contiguous. w: the channel block's packed weights.
 */
// @ts-ignore: decorator
@inline function tile(
  a0: usize, a1: usize, w: usize, segOff: usize, nseg: i32, pairs: i32,
  bias: usize, scale: usize, out: usize, hwo: usize, ch: i32, cout: i32, cnt: i32,
): void {
  let c00 = i32x4.splat(0), c01 = i32x4.splat(0), c02 = i32x4.splat(0), c03 = i32x4.splat(0);
  let c10 = i32x4.splat(0), c11 = i32x4.splat(0), c12 = i32x4.splat(0), c13 = i32x4.splat(0);
  for (let s = 0; s < nseg; s++) {
    const off = <usize>load<i32>(segOff + (<usize>s << 2));
    let p0 = a0 + off, p1 = a1 + off;
    for (let q = 0; q < pairs; q++) {
      const w0 = v128.load(w), w1 = v128.load(w, 16), w2 = v128.load(w, 32), w3 = v128.load(w, 48);
      let x = v128.load32_splat(p0);
      c00 = i32x4.add(c00, i32x4.dot_i16x8_s(x, w0));
      c01 = i32x4.add(c01, i32x4.dot_i16x8_s(x, w1));
      c02 = i32x4.add(c02, i32x4.dot_i16x8_s(x, w2));
      c03 = i32x4.add(c03, i32x4.dot_i16x8_s(x, w3));
      x = v128.load32_splat(p1);
      c10 = i32x4.add(c10, i32x4.dot_i16x8_s(x, w0));
      c11 = i32x4.add(c11, i32x4.dot_i16x8_s(x, w1));
      c12 = i32x4.add(c12, i32x4.dot_i16x8_s(x, w2));
      c13 = i32x4.add(c13, i32x4.dot_i16x8_s(x, w3));
      p0 += 4; p1 += 4;
      w += 64;
    }
  }
  // Epilogue in SIMD: bias, float32, scale on lanes = channels; then one range test for the
  // whole tile picks the float16 conversion (epilogue.ts).
  let b = v128.load(bias), sc = v128.load(scale);
  const y00 = scaled(c00, b, sc), y10 = scaled(c10, b, sc);
  b = v128.load(bias, 16); sc = v128.load(scale, 16);
  const y01 = scaled(c01, b, sc), y11 = scaled(c11, b, sc);
  b = v128.load(bias, 32); sc = v128.load(scale, 32);
  const y02 = scaled(c02, b, sc), y12 = scaled(c12, b, sc);
  b = v128.load(bias, 48); sc = v128.load(scale, 48);
  const y03 = scaled(c03, b, sc), y13 = scaled(c13, b, sc);
  const lanes = v128.and(
    v128.and(v128.and(f16NormalLanes(y00), f16NormalLanes(y10)), v128.and(f16NormalLanes(y01), f16NormalLanes(y11))),
    v128.and(v128.and(f16NormalLanes(y02), f16NormalLanes(y12)), v128.and(f16NormalLanes(y03), f16NormalLanes(y13))),
  );
  if (i32x4.all_true(lanes)) storeTile(y00, y10, y01, y11, y02, y12, y03, y13, true, out, hwo, ch, cout, cnt);
  else storeTile(y00, y10, y01, y11, y02, y12, y03, y13, false, out, hwo, ch, cout, cnt);
}

/** Copies `len` int16 from src to dst in 16-byte steps (may write up to 14 bytes past the end). */
// @ts-ignore: decorator
@inline function copyRun(dst: usize, src: usize, len: i32): void {
  const bytes = <usize>len << 1;
  for (let i: usize = 0; i < bytes; i += 16) v128.store(dst + i, v128.load(src + i));
}

/** Work chunk `id` = ((n * NPB) + pixel block) * NCBG + channel-block group. */
export function gemmChunk(plan: usize, id: i32, tid: i32): void {
  const ncbg = pf(plan, P_NCBG), npb = pf(plan, P_NPB);
  const cbg = id % ncbg;
  const t = id / ncbg;
  const pb = t % npb;
  const n = t / npb;
  const ho = pf(plan, P_HO), wo = pf(plan, P_WO);
  const hwo = ho * wo;
  const pbSize = pf(plan, P_PB);
  const pStart = pb * pbSize;
  const pEnd = min(pStart + pbSize, hwo);
  const cbPer = pf(plan, P_CBG);
  const cb0 = cbg * cbPer;
  const cb1 = min(cb0 + cbPer, pf(plan, P_NCB));
  const cout = pf(plan, P_COUT);
  const sh = pf(plan, P_SH), sw = pf(plan, P_SW);
  const cs = pf(plan, P_CS), wp = pf(plan, P_WP), hp = pf(plan, P_HP);
  const kp = pf(plan, P_KP);
  const nseg = pf(plan, P_NSEG);
  const pairs = pf(plan, P_SEGLEN) >> 1;
  const segOff = pp(plan, P_SEGOFF);
  const padBase = pp(plan, P_PAD) + (<usize>(n * hp * wp * cs) << 1);
  const im2col = pf(plan, P_MODE) == MODE_IM2COL;
  let rows: usize = 0;
  const rowBytes = <usize>kp << 1;
  if (im2col) {
    // Dense K rows for this chunk's pixels in this thread's scratch: (u, v, c) order.
    rows = pp(plan, P_SCRATCH) + <usize>tid * <usize>pf(plan, P_SCRATCH_STRIDE);
    const kh = pf(plan, P_KH), kw = pf(plan, P_KW), dh = pf(plan, P_DH), dw = pf(plan, P_DW);
    const cin = pf(plan, P_CIN);
    for (let p = pStart; p < pEnd; p++) {
      const oh = p / wo, ow = p - oh * wo;
      let dst = rows + <usize>(p - pStart) * rowBytes;
      for (let u = 0; u < kh; u++) {
        const src = padBase + (<usize>(((oh * sh + u * dh) * wp + ow * sw) * cs) << 1);
        if (dw == 1) {
          copyRun(dst, src, kw * cin);
          dst += <usize>(kw * cin) << 1;
        } else {
          for (let v = 0; v < kw; v++) {
            copyRun(dst, src + (<usize>(v * dw * cs) << 1), cin);
            dst += <usize>cin << 1;
          }
        }
      }
    }
  }
  const out = pp(plan, P_OUT) + (<usize>(n * cout * hwo) << 1);
  const wpack = pp(plan, P_WPACK);
  const biasv = pp(plan, P_BIASV), scalev = pp(plan, P_SCALEV);
  const wBlock = <usize>kp << 5; // 16 channels x KP int16
  const pixStep = <usize>(sw * cs) << 1;
  for (let cb = cb0; cb < cb1; cb++) {
    const w = wpack + <usize>cb * wBlock;
    const ch = cb << 4;
    const outCb = out + (<usize>(ch * hwo) << 1);
    for (let p = pStart; p < pEnd; p += 2) {
      const cnt = min(2, pEnd - p);
      let a0: usize, a1: usize;
      if (im2col) {
        a0 = rows + <usize>(p - pStart) * rowBytes;
        a1 = cnt > 1 ? a0 + rowBytes : a0;
      } else {
        const oh = p / wo, ow = p - oh * wo;
        a0 = padBase + (<usize>((oh * sh * wp + ow * sw) * cs) << 1);
        if (ow + 1 < wo) {
          a1 = a0 + pixStep; // same output row: evenly spaced
        } else {
          const q1 = min(p + 1, pEnd - 1);
          const oh1 = q1 / wo;
          a1 = padBase + (<usize>((oh1 * sh * wp + (q1 - oh1 * wo) * sw) * cs) << 1);
        }
      }
      tile(
        a0, a1, w, segOff, nseg, pairs,
        biasv + (<usize>ch << 2), scalev + (<usize>ch << 2),
        outCb + (<usize>p << 1), <usize>hwo, ch, cout, cnt,
      );
    }
  }
}
