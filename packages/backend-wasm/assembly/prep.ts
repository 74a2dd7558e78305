// Phase 1 of a call: copy the int8 NCHW input into a padded int16 buffer whose border cells
// hold offset_x (spec section 3 step 1). Sign-extending once here means the GEMM inner loop
// reads int16 pairs directly. Work is split into rows so threads can share it.

import {
  pf, pp, P_N, P_CIN, P_H, P_W, P_PH, P_PW, P_OFFX, P_CS, P_HP, P_WP, P_PAD, P_IN,
} from "./plan";

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

/** One padded row r = n*HP + hp of the NHWC copy (direct and im2col modes). */
export function prepRowNHWC(plan: usize, r: i32): void {
  const hpN = pf(plan, P_HP), wp = pf(plan, P_WP), cs = pf(plan, P_CS), cin = pf(plan, P_CIN);
  const H = pf(plan, P_H), W = pf(plan, P_W), ph = pf(plan, P_PH), pw = pf(plan, P_PW);
  const offx = pf(plan, P_OFFX);
  const n = r / hpN;
  const h = r - n * hpN - ph;
  const dst = pp(plan, P_PAD) + (<usize>(r * wp * cs) << 1);
  if (h < 0 || h >= H) {
    fillPattern(dst, wp, cs, cin, offx);
    return;
  }
  fillPattern(dst, pw, cs, cin, offx);
  fillPattern(dst + (<usize>((pw + W) * cs) << 1), wp - pw - W, cs, cin, offx);
  const hw = H * W;
  const src = pp(plan, P_IN) + <usize>(n * cin * hw + h * W);
  const ip = dst + (<usize>(pw * cs) << 1);
  const step = <usize>cs << 1;
  // Transpose channel rows into pixel-major order. Four channels at a time keeps four input
  // streams open and writes 8 contiguous bytes per pixel.
  let c = 0;
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
