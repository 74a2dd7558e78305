// Chooses how a QuantConv2d geometry is computed and lays out its plan block: the i32 fields
// the kernels read (indices: P_* of src/abi.ts) and the sizes of the buffers the plan owns.
// Pure arithmetic, no memory access.

import type { QuantConv2dGeometry } from "@tsnpu/tensor";
import {
  MODE_DIRECT,
  MODE_IM2COL,
  MODE_PLANE,
  MODE_POINTWISE,
  MODE_STEM,
  MODE_WINOGRAD,
  P_CBG,
  P_CIN,
  P_COUT,
  P_CS,
  P_DH,
  P_DW,
  P_H,
  P_HO,
  P_HP,
  P_K,
  P_KH,
  P_KP,
  P_KW,
  P_MODE,
  P_N,
  P_NCB,
  P_NCBG,
  P_NPB,
  P_NSEG,
  P_OFFX,
  P_PB,
  P_PH,
  P_PREP_CHUNKS,
  P_PW,
  P_SEGKIND,
  P_SEGLEN,
  P_SH,
  P_SW,
  P_W,
  P_WO,
  P_WORK_CHUNKS,
  P_WP,
  PLAN_FIELDS,
  QUAD_SPILL_BYTES,
  SEG_DENSE,
  STEM_PREP_ROWS,
  SEG_ROW,
  SEG_TAP,
} from "../abi.js";

export interface PlanLayout {
  readonly fields: Int32Array; // pointer fields left 0; the runtime fills them
  readonly segOffsets: Int32Array;
  readonly padBytes: number;
  readonly scratchStride: number; // per thread, bytes
  readonly wpackBytes: number;
  readonly channelSlots: number; // length of the padded bias/scale arrays
  readonly macs: number;
}

const up = (x: number, m: number) => Math.ceil(x / m) * m;

/**
 * Winograd F(2x2, 3x3) computes 4 * acc in int32; acc = that >> 2 is exact only while
 * |4 * acc| < 2^31, which |acc| <= 128 * 128 * 9 * Cin guarantees for Cin < 3640. The mode
 * stops well below that, at 1024: past it a tile block's transform (16 x tiles x Cin int16)
 * only fits a few tiles, weights are re-read per few tiles, and it lost on 2 threads
 * (measured: Cin 2048, 4x4). Below 16 the transforms cost more than they save (Cin 8, 56x56:
 * slower on 2 threads).
 */
export const WINOGRAD_MAX_CIN = 1024;
export const WINOGRAD_MIN_CIN = 16;
/** Transformed tile block budget: 16 x tiles x CS int16 <= 2 * WINOGRAD_TILE_BUDGET bytes. */
const WINOGRAD_TILE_BUDGET = 4096;

export function usesWinograd(g: QuantConv2dGeometry): boolean {
  if (
    !(
      g.kh === 3 &&
      g.kw === 3 &&
      g.strideH === 1 &&
      g.strideW === 1 &&
      g.dilationH === 1 &&
      g.dilationW === 1 &&
      g.cout > 4 &&
      g.cin >= WINOGRAD_MIN_CIN &&
      g.cin <= WINOGRAD_MAX_CIN
    )
  )
    return false;
  // A chunk pads whole input rows: rows split in more than 4 blocks would re-pad too much.
  const tw = Math.ceil(g.wOut / 2);
  return Math.ceil(tw / winogradTileMax(g.cin)) <= 4;
}

function winogradTileMax(cin: number): number {
  return Math.max(2, Math.min(64, Math.floor(WINOGRAD_TILE_BUDGET / up(cin, 8))));
}

/**
 * Input channels up to which a 1x1 conv takes the pointwise mode. Its weights are re-read per
 * pixel block; with many channels the direct GEMM wins (measured with weights packed pre-splat,
 * 8 bytes each, now 2: 512 -> 512 at 7x7 2.5x slower pointwise, 256 -> 256 at 14x14 even,
 * 160 -> 160 at 16x16 and below faster, BlazeFace's 24 -> 24 at 64x64 about 2x).
 */
export const POINTWISE_MAX_CIN = 160;

/** 1x1, stride 1, no padding: a GEMM over channels straight from the NCHW input (assembly/pointwise.ts). */
export function usesPointwise(g: QuantConv2dGeometry): boolean {
  return (
    g.kh === 1 &&
    g.kw === 1 &&
    g.strideH === 1 &&
    g.strideW === 1 &&
    g.padH === 0 &&
    g.padW === 0 &&
    g.cin <= POINTWISE_MAX_CIN
  );
}

/** Input channels up to which a stride-2 conv takes the stem mode (its rows are per input channel). */
export const STEM_MAX_CIN = 4;

/** Stride_w 2, dilation_w 1, few input channels: lanes are output pixels (assembly/stem.ts). */
export function usesStem(g: QuantConv2dGeometry): boolean {
  return g.strideW === 2 && g.dilationW === 1 && g.cin <= STEM_MAX_CIN;
}

/**
 * The stem mode's step offsets, 2 words per step (bytes from a pixel group's base in padded row
 * oh * SH of channel 0): each kernel row's tap pairs (second word unused), then (odd KW) pairs
 * of rows' last taps.
 */
function stemSteps(g: QuantConv2dGeometry, hp: number, wps: number): Int32Array<ArrayBuffer> {
  const rows = g.cin * g.kh;
  const rowOff = (r: number) => (Math.floor(r / g.kh) * hp + (r % g.kh) * g.dilationH) * wps * 2;
  const offs: number[] = [];
  for (let r = 0; r < rows; r++)
    for (let p = 0; p < g.kw >> 1; p++) offs.push(rowOff(r) + 4 * p, 0);
  if (g.kw & 1) {
    const last = 2 * (g.kw - 1);
    for (let r = 0; r < rows; r += 2)
      offs.push(rowOff(r) + last, rowOff(r + 1 < rows ? r + 1 : r) + last);
  }
  return Int32Array.from(offs);
}

/** Bytes of a pointwise chunk's interleaved channel pairs (4 per pixel and pair) kept near L1 size. */
const POINTWISE_BLOCK_BYTES = 32768;

/**
 * Sets P_CBG / P_NCBG: the `blocks` channel blocks go to groups (each a chunk with every pixel
 * chunk) so that there are about `wanted` chunks when the `pixelChunks` alone are fewer.
 */
function splitChannelBlocks(
  f: Int32Array,
  blocks: number,
  pixelChunks: number,
  wanted: number,
): void {
  const groups = pixelChunks < wanted ? Math.min(blocks, Math.ceil(wanted / pixelChunks)) : 1;
  const cbg = Math.ceil(blocks / groups);
  f[P_CBG] = cbg;
  f[P_NCBG] = Math.ceil(blocks / cbg);
}

export function layoutQuantConv2d(g: QuantConv2dGeometry, numThreads: number): PlanLayout {
  const f = new Int32Array(PLAN_FIELDS);
  f[P_N] = g.n;
  f[P_CIN] = g.cin;
  f[P_H] = g.h;
  f[P_W] = g.w;
  f[P_COUT] = g.cout;
  f[P_KH] = g.kh;
  f[P_KW] = g.kw;
  f[P_SH] = g.strideH;
  f[P_SW] = g.strideW;
  f[P_PH] = g.padH;
  f[P_PW] = g.padW;
  f[P_DH] = g.dilationH;
  f[P_DW] = g.dilationW;
  f[P_HO] = g.hOut;
  f[P_WO] = g.wOut;
  f[P_OFFX] = g.offsetX;
  const k = g.cin * g.kh * g.kw;
  f[P_K] = k;
  const hwo = g.hOut * g.wOut;
  const ncb = Math.ceil(g.cout / 16); // GEMM channel blocks of 16
  f[P_NCB] = ncb;
  const hp = g.h + 2 * g.padH;
  f[P_HP] = hp;
  const macs = g.n * g.cout * hwo * k;
  let segOffsets = new Int32Array(1);
  let padBytes: number;
  let scratchStride = 0;
  let wpackBytes: number;

  if (usesPointwise(g)) {
    f[P_MODE] = MODE_POINTWISE;
    const kq = Math.ceil(g.cin / 2);
    f[P_KP] = kq;
    // Pixel blocks of whole groups of 8, their pairs within the block budget, evened out.
    const pbMax = Math.max(8, Math.min(512, Math.floor(POINTWISE_BLOCK_BYTES / (kq * 4)) & ~7));
    const npb0 = Math.ceil(hwo / pbMax);
    const pbOne = up(Math.ceil(hwo / npb0), 8);
    // Threads share smaller pixel blocks first, channel groups only when too few remain: each
    // group redoes its block's pairs (96 channels at 16x16 in 8 groups ran slower on 2 threads
    // than on 1).
    const wanted = numThreads > 1 ? 8 * numThreads : 0;
    const pb = wanted ? Math.min(pbOne, Math.max(8, up(Math.ceil(hwo / wanted), 8))) : pbOne;
    const npb = Math.ceil(hwo / pb);
    f[P_PB] = pb;
    f[P_NPB] = npb;
    const quads = Math.ceil(g.cout / 4);
    splitChannelBlocks(f, quads, g.n * npb, wanted);
    padBytes = 0;
    // Room for the largest block, the one-thread split's.
    scratchStride = up(pbOne * kq * 4 + 64 + QUAD_SPILL_BYTES, 64);
    wpackBytes = quads * kq * 16;
    f[P_PREP_CHUNKS] = 0;
    f[P_WORK_CHUNKS] = g.n * npb * f[P_NCBG]!;
  } else if (usesWinograd(g)) {
    f[P_MODE] = MODE_WINOGRAD;
    const cs = up(g.cin, 8);
    const tw = Math.ceil(g.wOut / 2),
      th = Math.ceil(g.hOut / 2);
    // Padded rows reach the last tile's 4th row and column (one past the border for odd Ho, Wo;
    // those cells hold offset_x and only feed dropped outputs).
    const wp = Math.max(g.w + 2 * g.padW, 2 * tw + 2);
    const hpw = Math.max(hp, 2 * th + 2);
    f[P_CS] = cs;
    f[P_WP] = wp;
    f[P_HP] = hpw;
    f[P_KP] = cs;
    // Tile blocks: whole tile rows where they fit (then a block's output is whole output rows,
    // so two threads rarely write the same cache line), about 16 tiles, and the transformed
    // block (16 x tiles x CS int16) <= 128 KiB; rows wider than that are split evenly.
    const tbMax = winogradTileMax(g.cin);
    const target = 16;
    const tb =
      tw <= tbMax
        ? tw * Math.max(1, Math.min(Math.round(target / tw), Math.floor(tbMax / tw)))
        : Math.ceil(tw / Math.ceil(tw / tbMax));
    const ntiles = tw * th;
    const ntb = Math.ceil(ntiles / tb);
    f[P_PB] = tb;
    f[P_NPB] = ntb;
    // Each channel-block group redoes the block's padding and input transform: split channels
    // only for threads, and only down to about 4 chunks per thread (measured on shape C).
    splitChannelBlocks(f, ncb, g.n * ntb, numThreads > 1 ? 4 * numThreads : 0);
    // No shared padded copy: each chunk pads the rows its block reads into its scratch.
    padBytes = 0;
    const bandRows = 2 * (Math.ceil(tb / tw) + 1) + 2;
    const tbe = up(tb, 2);
    scratchStride = up(16 * tbe * cs * 2 + tbe * 1024 + bandRows * wp * cs * 2 + 64, 64);
    wpackBytes = ncb * cs * 512;
    f[P_PREP_CHUNKS] = 0;
    f[P_WORK_CHUNKS] = g.n * ntb * f[P_NCBG]!;
  } else if (usesStem(g)) {
    f[P_MODE] = MODE_STEM;
    // Rows reach the last 8-pixel group's second vector of the last step: 2 * up(Wo, 8) + KW + 8.
    const wps = up(Math.max(g.w + 2 * g.padW, 2 * up(g.wOut, 8) + g.kw + 8), 8);
    f[P_WP] = wps;
    f[P_CS] = 1;
    segOffsets = stemSteps(g, hp, wps);
    const rows = g.cin * g.kh;
    f[P_NSEG] = rows * (g.kw >> 1);
    f[P_KP] = f[P_NSEG]! + (g.kw & 1 ? Math.ceil(rows / 2) : 0);
    padBytes = g.n * g.cin * hp * wps * 2;
    scratchStride = QUAD_SPILL_BYTES;
    wpackBytes = Math.ceil(g.cout / 4) * f[P_KP]! * 16;
    f[P_PREP_CHUNKS] = g.n * Math.ceil(hp / STEM_PREP_ROWS);
    f[P_WORK_CHUNKS] = g.n * g.hOut;
  } else if (g.cout <= 4 && g.strideW === 1) {
    f[P_MODE] = MODE_PLANE;
    const wps = up(Math.max(g.w + 2 * g.padW, up(g.wOut, 16) + (g.kw - 1) * g.dilationW), 8);
    f[P_WP] = wps;
    f[P_CS] = 1;
    padBytes = g.n * g.cin * hp * wps * 2;
    wpackBytes = g.cout * k * 16;
    f[P_PREP_CHUNKS] = g.n * g.cin * hp;
    f[P_WORK_CHUNKS] = g.n * g.cout * g.hOut;
  } else {
    const wp = g.w + 2 * g.padW;
    f[P_WP] = wp;
    // Direct mode reads K straight from the padded NHWC copy as runs: one per kernel row when
    // dilation_w is 1 (kw*cin contiguous elements), else one per tap (cin elements). A run of
    // odd length is walked one element further: that element belongs to the next pixel or
    // row, and its packed weight is 0, so the sum is unchanged (and the read stays inside
    // the buffer or its slack).
    const rowRun = g.dilationW === 1;
    const segLenDirect = up(rowRun ? g.kw * g.cin : g.cin, 2);
    const direct = segLenDirect >= 8;
    if (direct) {
      f[P_MODE] = MODE_DIRECT;
      f[P_CS] = g.cin;
      f[P_SEGKIND] = rowRun ? SEG_ROW : SEG_TAP;
      const nseg = rowRun ? g.kh : g.kh * g.kw;
      segOffsets = new Int32Array(nseg);
      for (let s = 0; s < nseg; s++) {
        const u = rowRun ? s : Math.floor(s / g.kw);
        const v = rowRun ? 0 : s % g.kw;
        segOffsets[s] = (u * g.dilationH * wp + v * g.dilationW) * g.cin * 2;
      }
      f[P_NSEG] = nseg;
      f[P_SEGLEN] = segLenDirect;
      f[P_KP] = nseg * segLenDirect;
    } else {
      f[P_MODE] = MODE_IM2COL;
      f[P_CS] = g.cin;
      f[P_SEGKIND] = SEG_DENSE;
      const kp = k + (k & 1);
      f[P_NSEG] = 1;
      f[P_SEGLEN] = kp;
      f[P_KP] = kp;
    }
    const kp = f[P_KP]!;
    // Pixel blocks: about 64 pixels, evened out so the last block is not a sliver. For
    // im2col the block's rows (PB x KP int16) should stay in L1/L2.
    let pbMax = 64;
    if (f[P_MODE] === MODE_IM2COL)
      pbMax = Math.max(2, Math.min(64, Math.floor(49152 / (kp * 2)) & ~1));
    const npb0 = Math.ceil(hwo / pbMax);
    const pb = up(Math.ceil(hwo / npb0), 2);
    const npb = Math.ceil(hwo / pb);
    f[P_PB] = pb;
    f[P_NPB] = npb;
    // Channel-block groups: split channels too when there are few pixel blocks, so that
    // threads have enough chunks to balance (im2col keeps all channels: its rows are per chunk).
    // Dynamic claiming leaves at most one chunk of imbalance at the end of a call: aim for
    // about 32 chunks per thread (a chunk is still >= 2 pixels x 16 channels x K).
    splitChannelBlocks(f, ncb, g.n * npb, f[P_MODE] === MODE_DIRECT ? 32 * numThreads : 0);
    padBytes = g.n * hp * wp * f[P_CS]! * 2;
    if (f[P_MODE] === MODE_IM2COL) scratchStride = up(pb * kp * 2 + 64, 64);
    wpackBytes = ncb * kp * 32;
    f[P_PREP_CHUNKS] = g.n * hp;
    f[P_WORK_CHUNKS] = g.n * npb * f[P_NCBG]!;
  }
  return {
    fields: f,
    segOffsets,
    padBytes,
    scratchStride,
    wpackBytes,
    channelSlots: ncb * 16,
    macs,
  };
}
