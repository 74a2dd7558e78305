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
// Register tile: quad.ts quadTile (4 output channels x 8 pixels, each x load used by 4
// channels, the tile's end shared with pointwise.ts), so the fused add / relu / quantize steps
// work here too.

import { pf, pp } from "./plan";
import {
  P_CIN, P_COUT, P_SH, P_HO, P_WO, P_HP, P_WP, P_KP, P_NSEG, P_SEGOFF, P_WPACK, P_PAD,
  P_BIASV, P_SCALEV, P_OUT, P_SCRATCH, P_SCRATCH_STRIDE, P_TMP, P_EPI, ACT_RELU, QUAD_SPILL_BYTES, STEM_PREP_ROWS,
} from "../src/abi";
import { readEpilogue, Epilogue } from "./epilogue";
import { quadTile } from "./quad";
import { prepRowPlane } from "./prep";

/** Phase-1 chunk r = n * ceil(HP / STEM_PREP_ROWS) + block: that block of padded rows of every channel of image n. */
export function prepStemRows(plan: usize, r: i32): void {
  const hp = pf(plan, P_HP), cin = pf(plan, P_CIN);
  const blocks = (hp + STEM_PREP_ROWS - 1) / STEM_PREP_ROWS;
  const n = r / blocks, h0 = (r - n * blocks) * STEM_PREP_ROWS, h1 = min(h0 + STEM_PREP_ROWS, hp);
  for (let c = 0; c < cin; c++) for (let h = h0; h < h1; h++) prepRowPlane(plan, (n * cin + c) * hp + h);
}

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
  const steps = pf(plan, P_KP), ones = pf(plan, P_NSEG);
  const segOff = pp(plan, P_SEGOFF);
  const wpack = pp(plan, P_WPACK), biasv = pp(plan, P_BIASV), scalev = pp(plan, P_SCALEV), out = pp(plan, P_OUT);
  const stride = <usize>pf(plan, P_SCRATCH_STRIDE);
  const spill = pp(plan, P_SCRATCH) + <usize>tid * stride + stride - <usize>QUAD_SPILL_BYTES;
  const quads = (cout + 3) >> 2;
  for (let cq = 0; cq < quads; cq++) {
    const ch = cq << 2;
    const w0 = wpack + <usize>cq * (<usize>steps << 4);
    const b = biasv + (<usize>ch << 2), s = scalev + (<usize>ch << 2);
    for (let ow = 0; ow < wo; ow += 8) {
      quadTile(
        x + (<usize>ow << 2), segOff, true, steps, ones, w0, b, s, ep, epi, out,
        (n * cout + ch) * hw + oh * wo + ow, ch, cout, hw, min(8, wo - ow), tmp, spill, skip, relu, general,
      );
    }
  }
}
