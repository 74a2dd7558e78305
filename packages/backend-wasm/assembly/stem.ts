// MODE_STEM: QuantConv2d with few input channels (Cin <= 4) and stride_w 2, dilation_w 1, like
// BlazeFace's first conv (3 -> 24, 5x5, stride 2). The GEMM tile (gemm.ts) would pad K = 75 to
// 76 and Cout 24 to 32 and copy im2col rows; here the lanes are output pixels instead.
//
// Phase 1 is plane mode's planar int16 copy (prep.ts prepRowPlane, border cells offset_x). With
// stride 2, the taps (v, v+1) of 4 consecutive output pixels ow..ow+3 are the 8 contiguous int16
// x[2ow+v .. 2ow+v+7] of a padded row: one load, then i32x4.dot_i16x8_s against the 4-byte
// weight pair (w[v], w[v+1]) splat by its load gives 4 pixels x 2 taps. A kernel row of odd
// width leaves its last tap; two rows' last taps are paired by one shuffle of the two loads'
// even lanes (a last unpaired row pairs with itself, second weight 0). So 5x5 x 3 channels is
// 38 steps of 8 multiply-adds for 75 taps.
//
// Register tile: 4 output channels x 8 pixels (two 4-pixel vectors) = 8 i32x4 accumulators, each
// x load used by 4 channels; the tile's end is pointwise.ts's (epilogue.ts fastHalfQuad, else
// finishRow per row), so the fused add / relu / quantize steps work here too. Sums start at the
// bias and wrap in int32 (their order does not change the bits).

import { pf, pp } from "./plan";
import {
  P_CIN, P_COUT, P_SH, P_HO, P_WO, P_HP, P_WP, P_KP, P_NSEG, P_SEGLEN, P_SEGOFF, P_WPACK, P_PAD,
  P_BIASV, P_SCALEV, P_OUT, P_SCRATCH, P_SCRATCH_STRIDE, P_TMP, P_EPI, ACT_RELU,
} from "../src/abi";
import { fastHalfQuad, finishRow, normalRow, readEpilogue, Epilogue } from "./epilogue";

/** Work chunk `id` = n * HO + oh: one output row, every channel. */
export function stemChunk(plan: usize, id: i32, tid: i32): void {
  const ho = pf(plan, P_HO);
  const n = id / ho, oh = id - n * ho;
  const rowBytes = <usize>pf(plan, P_WP) << 1;
  // Padded row oh * SH of channel 0 of image n; P_SEGOFF holds each step's offset from it.
  const x = pp(plan, P_PAD) + <usize>(n * pf(plan, P_CIN) * pf(plan, P_HP) + oh * pf(plan, P_SH)) * rowBytes;
  const epi = pp(plan, P_EPI);
  const tmp = pp(plan, P_TMP) + (<usize>tid << 6);
  // The epilogue block's words, once, into this thread's tmp (past the 16 bytes partial stores use).
  const ep = changetype<Epilogue>(tmp + 16);
  readEpilogue(epi, ep);
  // One loop per kind of float16 end, so each has only its own code (as pointwise.ts).
  if (ep.quant != 0) rowQuads(plan, x, n, oh, ep, epi, tmp, tid, false, false, true);
  else if (ep.skip != 0) {
    if (ep.act == ACT_RELU) rowQuads(plan, x, n, oh, ep, epi, tmp, tid, true, true, false);
    else rowQuads(plan, x, n, oh, ep, epi, tmp, tid, true, false, false);
  } else if (ep.act == ACT_RELU) rowQuads(plan, x, n, oh, ep, epi, tmp, tid, false, true, false);
  else rowQuads(plan, x, n, oh, ep, epi, tmp, tid, false, false, false);
}

/**
 * Every channel quad x 8-pixel group of output row (n, oh). `skip`, `relu`: fastHalfQuad's
 * (constants); `general`: every tile through finishRow (the quantized results).
 */
// @ts-ignore: decorator
@inline function rowQuads(
  plan: usize, x: usize, n: i32, oh: i32, ep: Epilogue, epi: usize, tmp: usize, tid: i32,
  skip: bool, relu: bool, general: bool,
): void {
  const wo = pf(plan, P_WO), cout = pf(plan, P_COUT);
  const hw = pf(plan, P_HO) * wo;
  const steps = pf(plan, P_KP), ones = pf(plan, P_NSEG), twos = pf(plan, P_SEGLEN);
  const segOff = pp(plan, P_SEGOFF);
  const wpack = pp(plan, P_WPACK), biasv = pp(plan, P_BIASV), scalev = pp(plan, P_SCALEV), out = pp(plan, P_OUT);
  const spill = pp(plan, P_SCRATCH) + <usize>tid * <usize>pf(plan, P_SCRATCH_STRIDE);
  const quads = (cout + 3) >> 2;
  for (let cq = 0; cq < quads; cq++) {
    const ch = cq << 2;
    const w0 = wpack + <usize>cq * (<usize>steps << 4);
    const b = biasv + (<usize>ch << 2), s = scalev + (<usize>ch << 2);
    for (let ow = 0; ow < wo; ow += 8) {
      const xo = x + (<usize>ow << 2); // element 2 * ow
      let c00 = v128.load32_splat(b), c10 = v128.load32_splat(b + 4);
      let c20 = v128.load32_splat(b + 8), c30 = v128.load32_splat(b + 12);
      let c01 = c00, c11 = c10, c21 = c20, c31 = c30;
      let w = w0, off = segOff;
      // Steps with one load per pixel vector: a kernel row's tap pair (v, v+1).
      for (let t = 0; t < ones; t++) {
        const a = xo + <usize>load<i32>(off);
        const x0 = v128.load(a), x1 = v128.load(a, 16);
        let ws = v128.load32_splat(w);
        c00 = i32x4.add(c00, i32x4.dot_i16x8_s(x0, ws));
        c01 = i32x4.add(c01, i32x4.dot_i16x8_s(x1, ws));
        ws = v128.load32_splat(w, 4);
        c10 = i32x4.add(c10, i32x4.dot_i16x8_s(x0, ws));
        c11 = i32x4.add(c11, i32x4.dot_i16x8_s(x1, ws));
        ws = v128.load32_splat(w, 8);
        c20 = i32x4.add(c20, i32x4.dot_i16x8_s(x0, ws));
        c21 = i32x4.add(c21, i32x4.dot_i16x8_s(x1, ws));
        ws = v128.load32_splat(w, 12);
        c30 = i32x4.add(c30, i32x4.dot_i16x8_s(x0, ws));
        c31 = i32x4.add(c31, i32x4.dot_i16x8_s(x1, ws));
        off += 4;
        w += 16;
      }
      // Steps pairing two rows' last taps: the even lanes of two loads.
      for (let t = 0; t < twos; t++) {
        const a = xo + <usize>load<i32>(off), a2 = xo + <usize>load<i32>(off, 4);
        const x0 = i16x8.shuffle(v128.load(a), v128.load(a2), 0, 8, 2, 10, 4, 12, 6, 14);
        const x1 = i16x8.shuffle(v128.load(a, 16), v128.load(a2, 16), 0, 8, 2, 10, 4, 12, 6, 14);
        let ws = v128.load32_splat(w);
        c00 = i32x4.add(c00, i32x4.dot_i16x8_s(x0, ws));
        c01 = i32x4.add(c01, i32x4.dot_i16x8_s(x1, ws));
        ws = v128.load32_splat(w, 4);
        c10 = i32x4.add(c10, i32x4.dot_i16x8_s(x0, ws));
        c11 = i32x4.add(c11, i32x4.dot_i16x8_s(x1, ws));
        ws = v128.load32_splat(w, 8);
        c20 = i32x4.add(c20, i32x4.dot_i16x8_s(x0, ws));
        c21 = i32x4.add(c21, i32x4.dot_i16x8_s(x1, ws));
        ws = v128.load32_splat(w, 12);
        c30 = i32x4.add(c30, i32x4.dot_i16x8_s(x0, ws));
        c31 = i32x4.add(c31, i32x4.dot_i16x8_s(x1, ws));
        off += 8;
        w += 16;
      }
      // float32, times the scale (spec section 3 steps 4-5).
      let sj = v128.load32_splat(s);
      const y00 = f32x4.mul(f32x4.convert_i32x4_s(c00), sj), y01 = f32x4.mul(f32x4.convert_i32x4_s(c01), sj);
      sj = v128.load32_splat(s + 4);
      const y10 = f32x4.mul(f32x4.convert_i32x4_s(c10), sj), y11 = f32x4.mul(f32x4.convert_i32x4_s(c11), sj);
      sj = v128.load32_splat(s + 8);
      const y20 = f32x4.mul(f32x4.convert_i32x4_s(c20), sj), y21 = f32x4.mul(f32x4.convert_i32x4_s(c21), sj);
      sj = v128.load32_splat(s + 12);
      const y30 = f32x4.mul(f32x4.convert_i32x4_s(c30), sj), y31 = f32x4.mul(f32x4.convert_i32x4_s(c31), sj);
      const cnt = min(8, wo - ow);
      const e = (n * cout + ch) * hw + oh * wo + ow; // element index of (n, ch, oh, ow)
      if (general || cnt < 8 || ch + 4 > cout ||
        !fastHalfQuad(ep.skip, skip, relu, y00, y01, y10, y11, y20, y21, y30, y31, out, e, hw)) {
        // The rare tiles: spilled, then row by row in a call with no vector live across it.
        v128.store(spill, y00); v128.store(spill, y01, 16);
        v128.store(spill, y10, 32); v128.store(spill, y11, 48);
        v128.store(spill, y20, 64); v128.store(spill, y21, 80);
        v128.store(spill, y30, 96); v128.store(spill, y31, 112);
        finishSpilled(ep, epi, spill, out, e, ch, cout, hw, cnt, tmp);
      }
    }
  }
}

/** The spilled tile's rows (channels ch .. ch+3 below cout, `cnt` pixels) through finishRow. */
function finishSpilled(
  ep: Epilogue, epi: usize, spill: usize, out: usize, e: i32, ch: i32, cout: i32, hw: i32, cnt: i32, tmp: usize,
): void {
  for (let j = 0; j < 4 && ch + j < cout; j++) {
    const y0 = v128.load(spill + (<usize>j << 5)), y1 = v128.load(spill + (<usize>j << 5), 16);
    finishRow(ep, epi, y0, y1, normalRow(y0, y1), out, e + j * hw, ch + j, cnt, tmp);
  }
}
