// Phase 2 for MODE_DIRECT and MODE_IM2COL: the output as a GEMM, pixels x channels, K deep.
//
// Register tile: 4 output pixels x 8 output channels = 8 i32x4 accumulators whose lanes are
// 4 consecutive channels of one pixel. Per K pair: splat the pixel's (x[k], x[k+1]) int16 pair
// to all lanes, load the packed weights of 8 channels [(w0[k],w0[k+1]), (w1[k],w1[k+1]), ...]
// as two vectors, and i32x4.dot_i16x8_s them: each lane gets x[k]*w[k] + x[k+1]*w[k+1], which
// cannot overflow (int8 operands) and is added in int32 with wrap-around, as the spec wants.
// The order of the additions does not matter for wrapping int32 sums, so any split of the
// work gives the same bits.

import {
  pf, pp, P_MODE, P_CIN, P_COUT, P_KH, P_KW, P_SH, P_SW, P_DH, P_DW, P_HO, P_WO, P_CS, P_HP,
  P_WP, P_KP, P_NSEG, P_SEGLEN, P_SEGOFF, P_NCB, P_WPACK, P_PB, P_CBG, P_NPB, P_NCBG, P_PAD,
  P_SCRATCH, P_SCRATCH_STRIDE, P_BIASV, P_SCALEV, P_OUT, P_TMP, MODE_IM2COL,
} from "./plan";
import { epilogue } from "./f16";

/**
 * Stores one channel group (4 channels x 4 pixels) of float16 results. h0..h3: pixel j's
 * float16 bits in the low half of each lane (lanes = channels). Transposes so each channel
 * row gets its 4 pixels as one 8-byte store.
 */
// @ts-ignore: decorator
@inline function storeGroup(
  h0: v128, h1: v128, h2: v128, h3: v128, out: usize, hwo: usize, ch: i32, cout: i32, cnt: i32, tmp: usize,
): void {
  const n01 = i16x8.narrow_i32x4_u(h0, h1); // p0c0..p0c3, p1c0..p1c3
  const n23 = i16x8.narrow_i32x4_u(h2, h3);
  const s01 = i16x8.shuffle(n01, n23, 0, 4, 8, 12, 1, 5, 9, 13); // ch0: p0..p3, ch1: p0..p3
  const s23 = i16x8.shuffle(n01, n23, 2, 6, 10, 14, 3, 7, 11, 15);
  const row = hwo << 1;
  if (cnt == 4 && ch + 4 <= cout) {
    v128.store64_lane(out, s01, 0);
    v128.store64_lane(out + row, s01, 1);
    v128.store64_lane(out + 2 * row, s23, 0);
    v128.store64_lane(out + 3 * row, s23, 1);
    return;
  }
  v128.store(tmp, s01);
  v128.store(tmp, s23, 16);
  for (let c = 0; c < 4; c++) {
    if (ch + c >= cout) break;
    for (let j = 0; j < cnt; j++) {
      store<u16>(out + <usize>c * row + (<usize>j << 1), load<u16>(tmp + (<usize>(c * 4 + j) << 1)));
    }
  }
}

/**
 * One 4x8 tile over all of K. a0..a3: base of each pixel's int16 data; segOff[s] is added to
 * reach run s, whose `pairs` int16 pairs are contiguous. w: the channel block's packed weights.
 */
// @ts-ignore: decorator
@inline function tile(
  a0: usize, a1: usize, a2: usize, a3: usize, w: usize, segOff: usize, nseg: i32, pairs: i32,
  bias: usize, scale: usize, out: usize, hwo: usize, ch: i32, cout: i32, cnt: i32, tmp: usize,
): void {
  let c00 = i32x4.splat(0), c01 = i32x4.splat(0);
  let c10 = i32x4.splat(0), c11 = i32x4.splat(0);
  let c20 = i32x4.splat(0), c21 = i32x4.splat(0);
  let c30 = i32x4.splat(0), c31 = i32x4.splat(0);
  for (let s = 0; s < nseg; s++) {
    const off = <usize>load<i32>(segOff + (<usize>s << 2));
    let p0 = a0 + off, p1 = a1 + off, p2 = a2 + off, p3 = a3 + off;
    let q = pairs;
    // Two K pairs per iteration (immediate offsets, half the loop overhead).
    for (; q >= 2; q -= 2) {
      let w0 = v128.load(w), w1 = v128.load(w, 16);
      let x = v128.load32_splat(p0);
      c00 = i32x4.add(c00, i32x4.dot_i16x8_s(x, w0));
      c01 = i32x4.add(c01, i32x4.dot_i16x8_s(x, w1));
      x = v128.load32_splat(p1);
      c10 = i32x4.add(c10, i32x4.dot_i16x8_s(x, w0));
      c11 = i32x4.add(c11, i32x4.dot_i16x8_s(x, w1));
      x = v128.load32_splat(p2);
      c20 = i32x4.add(c20, i32x4.dot_i16x8_s(x, w0));
      c21 = i32x4.add(c21, i32x4.dot_i16x8_s(x, w1));
      x = v128.load32_splat(p3);
      c30 = i32x4.add(c30, i32x4.dot_i16x8_s(x, w0));
      c31 = i32x4.add(c31, i32x4.dot_i16x8_s(x, w1));
      w0 = v128.load(w, 32);
      w1 = v128.load(w, 48);
      x = v128.load32_splat(p0, 4);
      c00 = i32x4.add(c00, i32x4.dot_i16x8_s(x, w0));
      c01 = i32x4.add(c01, i32x4.dot_i16x8_s(x, w1));
      x = v128.load32_splat(p1, 4);
      c10 = i32x4.add(c10, i32x4.dot_i16x8_s(x, w0));
      c11 = i32x4.add(c11, i32x4.dot_i16x8_s(x, w1));
      x = v128.load32_splat(p2, 4);
      c20 = i32x4.add(c20, i32x4.dot_i16x8_s(x, w0));
      c21 = i32x4.add(c21, i32x4.dot_i16x8_s(x, w1));
      x = v128.load32_splat(p3, 4);
      c30 = i32x4.add(c30, i32x4.dot_i16x8_s(x, w0));
      c31 = i32x4.add(c31, i32x4.dot_i16x8_s(x, w1));
      p0 += 8; p1 += 8; p2 += 8; p3 += 8;
      w += 64;
    }
    if (q) {
      const w0 = v128.load(w), w1 = v128.load(w, 16);
      let x = v128.load32_splat(p0);
      c00 = i32x4.add(c00, i32x4.dot_i16x8_s(x, w0));
      c01 = i32x4.add(c01, i32x4.dot_i16x8_s(x, w1));
      x = v128.load32_splat(p1);
      c10 = i32x4.add(c10, i32x4.dot_i16x8_s(x, w0));
      c11 = i32x4.add(c11, i32x4.dot_i16x8_s(x, w1));
      x = v128.load32_splat(p2);
      c20 = i32x4.add(c20, i32x4.dot_i16x8_s(x, w0));
      c21 = i32x4.add(c21, i32x4.dot_i16x8_s(x, w1));
      x = v128.load32_splat(p3);
      c30 = i32x4.add(c30, i32x4.dot_i16x8_s(x, w0));
      c31 = i32x4.add(c31, i32x4.dot_i16x8_s(x, w1));
      w += 32;
    }
  }
  // Epilogue in SIMD: bias, float32 convert, scale, float16, on lanes = channels.
  const b0 = v128.load(bias), b1 = v128.load(bias, 16);
  const s0 = v128.load(scale), s1 = v128.load(scale, 16);
  storeGroup(
    epilogue(c00, b0, s0), epilogue(c10, b0, s0), epilogue(c20, b0, s0), epilogue(c30, b0, s0),
    out, hwo, ch, cout, cnt, tmp,
  );
  storeGroup(
    epilogue(c01, b1, s1), epilogue(c11, b1, s1), epilogue(c21, b1, s1), epilogue(c31, b1, s1),
    out + ((hwo << 1) << 2), hwo, ch + 4, cout, cnt, tmp,
  );
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
  const tmp = pp(plan, P_TMP) + (<usize>tid << 6);
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
  const wBlock = <usize>kp << 4; // 8 channels x KP int16
  const pixStep = <usize>(sw * cs) << 1;
  for (let cb = cb0; cb < cb1; cb++) {
    const w = wpack + <usize>cb * wBlock;
    const ch = cb << 3;
    const outCb = out + (<usize>(ch * hwo) << 1);
    for (let p = pStart; p < pEnd; p += 4) {
      const cnt = min(4, pEnd - p);
      let a0: usize, a1: usize, a2: usize, a3: usize;
      if (im2col) {
        const r = rows + <usize>(p - pStart) * rowBytes;
        a0 = r;
        a1 = cnt > 1 ? r + rowBytes : r;
        a2 = cnt > 2 ? r + 2 * rowBytes : r;
        a3 = cnt > 3 ? r + 3 * rowBytes : r;
      } else {
        const oh = p / wo, ow = p - oh * wo;
        a0 = padBase + (<usize>((oh * sh * wp + ow * sw) * cs) << 1);
        if (ow + 4 <= wo) {
          // Common case: the 4 pixels share an output row, so their bases are evenly spaced.
          a1 = a0 + pixStep; a2 = a1 + pixStep; a3 = a2 + pixStep;
        } else {
          const q1 = min(p + 1, pEnd - 1), q2 = min(p + 2, pEnd - 1), q3 = min(p + 3, pEnd - 1);
          let oh1 = q1 / wo, oh2 = q2 / wo, oh3 = q3 / wo;
          a1 = padBase + (<usize>((oh1 * sh * wp + (q1 - oh1 * wo) * sw) * cs) << 1);
          a2 = padBase + (<usize>((oh2 * sh * wp + (q2 - oh2 * wo) * sw) * cs) << 1);
          a3 = padBase + (<usize>((oh3 * sh * wp + (q3 - oh3 * wo) * sw) * cs) << 1);
        }
      }
      tile(
        a0, a1, a2, a3, w, segOff, nseg, pairs,
        biasv + (<usize>ch << 2), scalev + (<usize>ch << 2),
        outCb + (<usize>p << 1), <usize>hwo, ch, cout, cnt, tmp,
      );
    }
  }
}
