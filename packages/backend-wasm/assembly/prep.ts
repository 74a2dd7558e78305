// Phase 1 of a call: copy the int8 NCHW input into a padded int16 buffer whose border cells
// hold offset_x (spec section 3 step 1). Sign-extending once here means the GEMM inner loop
// reads int16 pairs directly. Work is split into rows so threads can share it.

import { pf, pp } from "./plan";
import {
  P_N, P_CIN, P_H, P_W, P_PH, P_PW, P_OFFX, P_CS, P_HP, P_WP, P_PAD, P_IN,
} from "../src/abi";

/** Writes `count` pixels of the border pattern: CIN x offset_x, then CS-CIN zeros. */
// @ts-ignore: decorator
@inline function fillPattern(dst: usize, count: i32, cs: i32, cin: i32, offx: i32): void {
  if (cs == cin && cs == 1) {
    for (let i = 0; i < count; i++) store<i16>(dst + (<usize>i << 1), <i16>offx);
    return;
  }
  for (let p = 0; p < count; p++) {
    const d = dst + (<usize>(p * cs) << 1);
    for (let c = 0; c < cin; c++) store<i16>(d + (<usize>c << 1), <i16>offx);
    for (let c = cin; c < cs; c++) store<i16>(d + (<usize>c << 1), 0);
  }
}

/**
 * 8 channels x 8 pixels: src points at channel 0, pixel 0 (int8 rows `rowStride` apart);
 * writes the first `pixels` (<= 8) pixels of 8 int16 channels at dst, dst + step, ... It
 * always reads 8 bytes per channel row.
 */
// @ts-ignore: decorator
@inline function transpose8x8(src: usize, rowStride: usize, dst: usize, step: usize, pixels: i32): void {
  const r0 = v128.load8x8_s(src), r1 = v128.load8x8_s(src + rowStride);
  const r2 = v128.load8x8_s(src + 2 * rowStride), r3 = v128.load8x8_s(src + 3 * rowStride);
  const r4 = v128.load8x8_s(src + 4 * rowStride), r5 = v128.load8x8_s(src + 5 * rowStride);
  const r6 = v128.load8x8_s(src + 6 * rowStride), r7 = v128.load8x8_s(src + 7 * rowStride);
  // 16-bit interleave: channel pairs per pixel.
  const t0 = i16x8.shuffle(r0, r1, 0, 8, 1, 9, 2, 10, 3, 11), t1 = i16x8.shuffle(r0, r1, 4, 12, 5, 13, 6, 14, 7, 15);
  const t2 = i16x8.shuffle(r2, r3, 0, 8, 1, 9, 2, 10, 3, 11), t3 = i16x8.shuffle(r2, r3, 4, 12, 5, 13, 6, 14, 7, 15);
  const t4 = i16x8.shuffle(r4, r5, 0, 8, 1, 9, 2, 10, 3, 11), t5 = i16x8.shuffle(r4, r5, 4, 12, 5, 13, 6, 14, 7, 15);
  const t6 = i16x8.shuffle(r6, r7, 0, 8, 1, 9, 2, 10, 3, 11), t7 = i16x8.shuffle(r6, r7, 4, 12, 5, 13, 6, 14, 7, 15);
  // 32-bit interleave: channel quads per pixel.
  const u0 = i32x4.shuffle(t0, t2, 0, 4, 1, 5), u1 = i32x4.shuffle(t0, t2, 2, 6, 3, 7);
  const u2 = i32x4.shuffle(t1, t3, 0, 4, 1, 5), u3 = i32x4.shuffle(t1, t3, 2, 6, 3, 7);
  const u4 = i32x4.shuffle(t4, t6, 0, 4, 1, 5), u5 = i32x4.shuffle(t4, t6, 2, 6, 3, 7);
  const u6 = i32x4.shuffle(t5, t7, 0, 4, 1, 5), u7 = i32x4.shuffle(t5, t7, 2, 6, 3, 7);
  // 64-bit halves: all 8 channels of one pixel. For a row's last pixels (pixels < 8), the
  // vectors past `pixels` hold bytes from beyond the row and are not stored.
  v128.store(dst, i64x2.shuffle(u0, u4, 0, 2));
  if (pixels > 1) v128.store(dst + step, i64x2.shuffle(u0, u4, 1, 3));
  if (pixels > 2) v128.store(dst + 2 * step, i64x2.shuffle(u1, u5, 0, 2));
  if (pixels > 3) v128.store(dst + 3 * step, i64x2.shuffle(u1, u5, 1, 3));
  if (pixels > 4) v128.store(dst + 4 * step, i64x2.shuffle(u2, u6, 0, 2));
  if (pixels > 5) v128.store(dst + 5 * step, i64x2.shuffle(u2, u6, 1, 3));
  if (pixels > 6) v128.store(dst + 6 * step, i64x2.shuffle(u3, u7, 0, 2));
  if (pixels > 7) v128.store(dst + 7 * step, i64x2.shuffle(u3, u7, 1, 3));
}

/** One padded row r = n*HP + hp of the NHWC copy (direct and im2col modes). */
export function prepRowNHWC(plan: usize, r: i32): void {
  const hpN = pf(plan, P_HP), wp = pf(plan, P_WP), cs = pf(plan, P_CS);
  const n = r / hpN;
  prepRowNHWCAt(plan, n, r - n * hpN, pp(plan, P_PAD) + (<usize>(r * wp * cs) << 1));
}

/** Padded row `hrow` of image n (rows at or past ph + H are border) written to dst. */
export function prepRowNHWCAt(plan: usize, n: i32, hrow: i32, dst: usize): void {
  const wp = pf(plan, P_WP), cs = pf(plan, P_CS), cin = pf(plan, P_CIN);
  const H = pf(plan, P_H), W = pf(plan, P_W), ph = pf(plan, P_PH), pw = pf(plan, P_PW);
  const offx = pf(plan, P_OFFX);
  const h = hrow - ph;
  if (h < 0 || h >= H) {
    fillPattern(dst, wp, cs, cin, offx);
    return;
  }
  fillPattern(dst, pw, cs, cin, offx);
  fillPattern(dst + (<usize>((pw + W) * cs) << 1), wp - pw - W, cs, cin, offx);
  const hw = H * W;
  const src = pp(plan, P_IN) + <usize>(n * cin * hw + h * W);
  const inEnd = pp(plan, P_IN) + <usize>pf(plan, P_N) * <usize>(cin * hw);
  const ip = dst + (<usize>(pw * cs) << 1);
  const step = <usize>cs << 1;
  // Transpose channel rows into pixel-major order. Eight channels x eight pixels at a time
  // in SIMD (sign-extending loads, then an 8x8 int16 transpose), then four channels at a time
  // (8-byte stores), then single channels.
  let c = 0;
  if (cin == 3 && cs == 3) {
    // RGB-like stems (im2col mode keeps CS = 3): interleave 3 channel rows, 8 pixels at a time.
    let w = 0;
    for (; w + 8 <= W; w += 8) {
      const r0 = v128.load8x8_s(src + <usize>w), r1 = v128.load8x8_s(src + <usize>(hw + w));
      const r2 = v128.load8x8_s(src + <usize>(2 * hw + w));
      const abLo = i16x8.shuffle(r0, r1, 0, 8, 1, 9, 2, 10, 3, 11); // a0 b0 a1 b1 a2 b2 a3 b3
      const abHi = i16x8.shuffle(r0, r1, 4, 12, 5, 13, 6, 14, 7, 15); // a4 b4 .. a7 b7
      const m = i16x8.shuffle(abLo, abHi, 6, 7, 8, 9, 10, 0, 0, 0); // a3 b3 a4 b4 a5
      const d = ip + (<usize>(w * 3) << 1);
      v128.store(d, i16x8.shuffle(abLo, r2, 0, 1, 8, 2, 3, 9, 4, 5)); // a0 b0 c0 a1 b1 c1 a2 b2
      v128.store(d, i16x8.shuffle(m, r2, 10, 0, 1, 11, 2, 3, 12, 4), 16); // c2 a3 b3 c3 a4 b4 c4 a5
      v128.store(d, i16x8.shuffle(abHi, r2, 3, 13, 4, 5, 14, 6, 7, 15), 32); // b5 c5 a6 b6 c6 a7 b7 c7
    }
    for (; w < W; w++) {
      const d = ip + (<usize>(w * 3) << 1);
      store<i16>(d, <i16>load<i8>(src + <usize>w));
      store<i16>(d, <i16>load<i8>(src + <usize>(hw + w)), 2);
      store<i16>(d, <i16>load<i8>(src + <usize>(2 * hw + w)), 4);
    }
    return;
  }
  for (; c + 8 <= cin; c += 8) {
    const s0 = src + <usize>(c * hw);
    let w = 0;
    for (; w + 8 <= W; w += 8) transpose8x8(s0 + <usize>w, <usize>hw, ip + (<usize>(w * cs + c) << 1), step, 8);
    // The row's last W % 8 pixels in SIMD too, unless the 8-byte reads would leave the input
    // (only possible for the last channels of the last image).
    if (w < W && s0 + <usize>(7 * hw + w + 8) <= inEnd) {
      transpose8x8(s0 + <usize>w, <usize>hw, ip + (<usize>(w * cs + c) << 1), step, W - w);
      w = W;
    }
    for (; w < W; w++) {
      const d = ip + (<usize>(w * cs + c) << 1);
      for (let j = 0; j < 8; j++) store<i16>(d + (<usize>j << 1), <i16>load<i8>(s0 + <usize>(j * hw + w)));
    }
  }
  for (; c + 4 <= cin; c += 4) {
    const s0 = src + <usize>(c * hw);
    const s1 = s0 + <usize>hw, s2 = s1 + <usize>hw, s3 = s2 + <usize>hw;
    let d = ip + (<usize>c << 1);
    for (let w = 0; w < W; w++) {
      const v: u64 =
        (<u64>(<u16>load<i8>(s0 + w))) |
        (<u64>(<u16>load<i8>(s1 + w)) << 16) |
        (<u64>(<u16>load<i8>(s2 + w)) << 32) |
        (<u64>(<u16>load<i8>(s3 + w)) << 48);
      store<u64>(d, v);
      d += step;
    }
  }
  for (; c < cin; c++) {
    const s = src + <usize>(c * hw);
    let d = ip + (<usize>c << 1);
    for (let w = 0; w < W; w++) {
      store<i16>(d, <i16>load<i8>(s + w));
      d += step;
    }
  }
  for (let c2 = cin; c2 < cs; c2++) {
    let d = ip + (<usize>c2 << 1);
    for (let w = 0; w < W; w++) {
      store<i16>(d, 0);
      d += step;
    }
  }
}

/** One padded row r = (n*CIN + c)*HP + hp of the planar copy (plane mode). */
export function prepRowPlane(plan: usize, r: i32): void {
  const hpN = pf(plan, P_HP), wps = pf(plan, P_WP);
  const H = pf(plan, P_H), W = pf(plan, P_W), ph = pf(plan, P_PH), pw = pf(plan, P_PW);
  const offx = pf(plan, P_OFFX);
  const nc = r / hpN;
  const h = r - nc * hpN - ph;
  const dst = pp(plan, P_PAD) + (<usize>(r * wps) << 1);
  const fill = i16x8.splat(<i16>offx);
  if (h < 0 || h >= H) {
    for (let i = 0; i < wps; i += 8) v128.store(dst + (<usize>i << 1), fill);
    return;
  }
  for (let i = 0; i < pw; i++) store<i16>(dst + (<usize>i << 1), <i16>offx);
  const src = pp(plan, P_IN) + <usize>(nc * H * W + h * W);
  const d = dst + (<usize>pw << 1);
  let w = 0;
  for (; w + 8 <= W; w += 8) v128.store(d + (<usize>w << 1), v128.load8x8_s(src + <usize>w));
  for (; w < W; w++) store<i16>(d + (<usize>w << 1), <i16>load<i8>(src + <usize>w));
  for (let i = pw + W; i < wps; i++) store<i16>(dst + (<usize>i << 1), <i16>offx);
}
