// MODE_POINTWISE: QuantConv2d with a 1x1 kernel, stride 1 and no padding (BlazeFace's and
// MobileNet's pointwise convs) is a GEMM over channels, out[o][p] = sum_c w[o][c] * x[c][p],
// read straight from the NCHW int8 input: no padded copy, no transpose, no phase 1.
//
// Lanes are output pixels, so the NCHW result of a channel is contiguous and stored 8 pixels at
// a time. A chunk first interleaves its pixel block's channel pairs into int16 pairs
// (x[2q][p], x[2q+1][p]) in this thread's scratch, [pixel group of 8][pair q][8 pixels]; the
// register tile is then 4 output channels x 8 pixels = 8 i32x4 accumulators: per pair q, each
// channel's weight pair (4 bytes, splat by the load: one vbroadcastss on x64) goes through
// i32x4.dot_i16x8_s with the pixels' pairs (the GEMM's dot scheme, gemm.ts, transposed).
// Measured ~33 GMAC/s on 96 -> 96 channels at 16x16, about the dot + add port limit of one x64 core.
// Sums start at the bias and wrap in int32 as the spec wants; their order does not change the bits.
//
// At BlazeFace's 24 channels the tile's end costs about as much as its 12 pairs of dots, so the
// tile (quad.ts quadTile) first tries epilogue.ts fastHalfQuad, with one copy of the loop per
// kind of end (plain, +skip, relu, both); the rare tiles it leaves are finished row by row in a
// call with no vector live across it.
// Measured, kernel alone, 1 thread, 24 -> 24 at 64x64 + skip + relu: 0.108 ms (0.121 with a
// range test and a finishRow call per row, 0.236 before the fast end).

import { pf, pp } from "./plan";
import {
  P_N, P_CIN, P_COUT, P_HO, P_WO, P_KP, P_PB, P_NPB, P_CBG, P_NCBG, P_WPACK, P_BIASV, P_SCALEV,
  P_IN, P_OUT, P_SCRATCH, P_SCRATCH_STRIDE, P_TMP, P_EPI, ACT_RELU, QUAD_SPILL_BYTES,
} from "../src/abi";
import { readEpilogue, Epilogue } from "./epilogue";
import { quadTile } from "./quad";

/** Interleaves channels c0 and c0+1 of pixels [p, p+8) (c0+1 == cin: zeros) into 2 vectors at dst. */
// @ts-ignore: decorator
@inline function pairGroup(x: usize, hw: i32, c0: i32, cin: i32, p: i32, dst: usize): void {
  const a = x + <usize>(c0 * hw + p);
  let lo: v128, b: v128;
  if (p + 8 <= hw) {
    lo = v128.load64_zero(a);
    b = c0 + 1 < cin ? v128.load64_zero(a + <usize>hw) : i32x4.splat(0);
  } else {
    // The image's last pixels: byte by byte through dst (overwritten below), zeros past the plane.
    const t0 = dst, t1 = dst + 8;
    v128.store(dst, i32x4.splat(0));
    for (let j = 0; j < hw - p; j++) {
      store<i8>(t0 + <usize>j, load<i8>(a + <usize>j));
      if (c0 + 1 < cin) store<i8>(t1 + <usize>j, load<i8>(a + <usize>(hw + j)));
    }
    lo = v128.load64_zero(t0);
    b = v128.load64_zero(t1);
  }
  const ab = i8x16.shuffle(lo, b, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
  v128.store(dst, i16x8.extend_low_i8x16_s(ab));
  v128.store(dst, i16x8.extend_high_i8x16_s(ab), 16);
}

/** Work chunk `id` = ((n * NPB) + pixel block) * NCBG + channel-quad group. */
export function pointwiseChunk(plan: usize, id: i32, tid: i32): void {
  const ncbg = pf(plan, P_NCBG), npb = pf(plan, P_NPB);
  const cbg = id % ncbg;
  const t = id / ncbg;
  const pb = t % npb;
  const n = t / npb;
  const cin = pf(plan, P_CIN), cout = pf(plan, P_COUT);
  const hw = pf(plan, P_HO) * pf(plan, P_WO);
  const pbSize = pf(plan, P_PB);
  const pStart = pb * pbSize;
  const pEnd = min(pStart + pbSize, hw);
  const kq = pf(plan, P_KP);
  const groupBytes = <usize>kq << 5; // one pixel group: kq pairs x 8 pixels x 4 bytes
  // The block's pairs, in this thread's scratch.
  const rows = pp(plan, P_SCRATCH) + <usize>tid * <usize>pf(plan, P_SCRATCH_STRIDE);
  const x = pp(plan, P_IN) + <usize>(n * cin * hw);
  // Pair by pair, so the input is read as two sequential channel rows at a time (reading all
  // channel rows at once, planes apart, thrashed the cache on 128x128 planes).
  for (let q = 0; q < kq; q++) {
    let d = rows + (<usize>q << 5);
    for (let p = pStart; p < pEnd; p += 8) {
      pairGroup(x, hw, q << 1, cin, p, d);
      d += groupBytes;
    }
  }
  const quadsPer = pf(plan, P_CBG);
  const q0 = cbg * quadsPer;
  const q1 = min(q0 + quadsPer, (cout + 3) >> 2);
  const epi = pp(plan, P_EPI);
  const tmp = pp(plan, P_TMP) + (<usize>tid << 6);
  // The epilogue block's words (all 0 without one: the plain float16 result), read once, into
  // this thread's tmp (past the 16 bytes the stores of partial rows use).
  const ep = changetype<Epilogue>(tmp + 16);
  readEpilogue(epi, ep);
  // One loop per kind of float16 end, so each has only its own code.
  if (ep.quant != 0) quads(rows, kq, plan, n, cout, hw, pStart, pEnd, q0, q1, ep, epi, tmp, false, false, true);
  else if (ep.skip != 0) {
    if (ep.act == ACT_RELU) quads(rows, kq, plan, n, cout, hw, pStart, pEnd, q0, q1, ep, epi, tmp, true, true, false);
    else quads(rows, kq, plan, n, cout, hw, pStart, pEnd, q0, q1, ep, epi, tmp, true, false, false);
  } else if (ep.act == ACT_RELU) quads(rows, kq, plan, n, cout, hw, pStart, pEnd, q0, q1, ep, epi, tmp, false, true, false);
  else quads(rows, kq, plan, n, cout, hw, pStart, pEnd, q0, q1, ep, epi, tmp, false, false, false);
}

/**
 * Channel quads [q0, q1) over the chunk's pixels [pStart, pEnd) (their pairs at `rows`): 4 x 8
 * register tiles, then each tile's end. `skip`, `relu`: what fastHalfQuad does
 * (constants); `general`: every row through finishRow (the quantized results).
 */
// @ts-ignore: decorator
@inline function quads(
  rows: usize, kq: i32, plan: usize, n: i32, cout: i32, hw: i32, pStart: i32, pEnd: i32, q0: i32, q1: i32,
  ep: Epilogue, epi: usize, tmp: usize, skip: bool, relu: bool, general: bool,
): void {
  const wpack = pp(plan, P_WPACK), biasv = pp(plan, P_BIASV), scalev = pp(plan, P_SCALEV), out = pp(plan, P_OUT);
  const groupBytes = <usize>kq << 5;
  const wQuad = <usize>kq << 4;
  const spill = rows + <usize>pf(plan, P_SCRATCH_STRIDE) - <usize>QUAD_SPILL_BYTES; // the end of the thread's scratch
  for (let cq = q0; cq < q1; cq++) {
    const ch = cq << 2;
    const w0 = wpack + <usize>cq * wQuad;
    const b = biasv + (<usize>ch << 2), s = scalev + (<usize>ch << 2);
    for (let p = pStart; p < pEnd; p += 8) {
      quadTile(
        rows + <usize>((p - pStart) >> 3) * groupBytes, 0, false, kq, kq, w0, b, s, ep, epi, out,
        (n * cout + ch) * hw + p, ch, cout, hw, min(8, pEnd - p), tmp, spill, skip, relu, general,
      );
    }
  }
}
