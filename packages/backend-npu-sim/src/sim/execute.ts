// One QuantConv2d executed the way an AI Core does it (docs/semantics/npu-sim.md section 3): TransData to
// NC1HWC0 / FRACTAL_Z, per core: Load3D img2col into L0A tiles, weight fractals into L0B, int8
// Cube products into int32 L0C accumulators (bias as the initial value), FixPipe dequant to
// float16 NC1HWC0, TransData back to NCHW.
//
// Three liberties, none visible in the numbers:
// - The hardware nest is (m tile, n tile, k tile) with A re-loaded per n tile; we run
//   (m tile, k tile, n tile) and keep the part's L0C tiles side by side, so each img2col tile is
//   built once. int32 wrapping addition is associative, so the accumulators end up identical.
//   The cycle model (cycles.ts) still counts the hardware order. Short k tiles are run in groups
//   (kTileGroups) for the same reason.
// - Lanes c0 >= Cin of the last C1 group multiply weights that FRACTAL_Z pads with 0, so their
//   products are 0: the packed L0A/L0B tiles leave those lanes out (for Cin = 3 that is 29 of 32
//   lanes). The Cube cycles still count the full 16x32x16 fractals.
// - The int8 products are computed two per float64 multiply (see PACK below), exactly.

import {
  decodeQuantScale,
  float32BitsToFloat16Bits,
  type QuantConv2dGeometry,
} from "@tsnpu/tensor";
import type { SocSpec } from "./soc.js";
import {
  C0_FP16,
  C0_INT8,
  CO0,
  fractalZShape,
  nc1hwc0ToNchwFloat16,
  nchwToNc1hwc0Int8,
  oihwToFractalZ,
} from "./layouts.js";
import { assertQuantConv2dSupported } from "./limits.js";
import { planQuantConv2d, type QuantConv2dPlan } from "./tiler.js";
import type { CorePart } from "./plan.js";
import { quantConv2dProfile, transDataProfile, type OpProfile } from "./profile.js";

/** Saturation mode [doc] (Atlas inference series): +-Inf -> +-65504 (0x7bff), NaN -> 0. */
export function saturateFloat16Bits(h: number): number {
  if ((h & 0x7c00) !== 0x7c00) return h;
  return (h & 0x03ff) !== 0 ? 0 : (h & 0x8000) | 0x7bff;
}

/** The weight conversion OIHW -> FRACTAL_Z as its own op (graph mode runs it once, at compile). */
export function prepareQuantConv2dWeight(
  soc: SocSpec,
  g: QuantConv2dGeometry,
  weightOihw: Int8Array,
): { weightFz: Int8Array; profile: OpProfile } {
  const weightFz = oihwToFractalZ(weightOihw, g.cout, g.cin, g.kh, g.kw);
  return {
    weightFz,
    profile: transDataProfile(soc, "OIHW->FRACTAL_Z", weightOihw.length, weightFz.length, "before"),
  };
}

/** How K is laid out in the packed tiles: per K block (c1, kh, kw) its valid lanes and offset. */
interface KLayout {
  readonly kbC1: Int32Array;
  readonly kbKh: Int32Array;
  readonly kbKw: Int32Array;
  /** Valid lanes of the block: min(32, Cin - c1*32). */
  readonly kbLanes: Int32Array;
  /** Offset of the block in the packed K (prefix sum of kbLanes), kBlocks + 1 entries. */
  readonly kbOffset: Int32Array;
}

function kLayout(g: QuantConv2dGeometry, kBlocks: number): KLayout {
  const kbC1 = new Int32Array(kBlocks);
  const kbKh = new Int32Array(kBlocks);
  const kbKw = new Int32Array(kBlocks);
  const kbLanes = new Int32Array(kBlocks);
  const kbOffset = new Int32Array(kBlocks + 1);
  for (let kb = 0; kb < kBlocks; kb++) {
    // k = ((c1*KH + kh)*KW + kw)*32 + c0 (spec section 3.2)
    const c1 = Math.floor(kb / (g.kh * g.kw));
    const r = kb - c1 * g.kh * g.kw;
    kbC1[kb] = c1;
    kbKh[kb] = Math.floor(r / g.kw);
    kbKw[kb] = r % g.kw;
    kbLanes[kb] = Math.min(C0_INT8, g.cin - c1 * C0_INT8);
    kbOffset[kb + 1] = kbOffset[kb]! + kbLanes[kb]!;
  }
  return { kbC1, kbKh, kbKw, kbLanes, kbOffset };
}

// The Cube's int8 products are exact integers, so the simulator computes them in float64 two at a
// time: a weight pair (w0, w1) is packed as w0 + w1 * 2^27, and x * (w0 + w1*2^27) carries both
// products. Over at most 2048 terms each half stays below 2^25 in magnitude, so the packed sum
// stays below 2^53 (exact) and splits back into its halves exactly.
const PACK = 134217728; // 2^27
const INV_PACK = 1 / PACK;
/** Terms summed in one packed accumulator before it is split (keeps every sum exact). */
const PACK_CHUNK = 2048;

/**
 * Consecutive k tiles executed as one: K block boundaries of groups of whole k tiles whose packed
 * K stays within PACK_CHUNK (one tile at least). With Cin = 3 a 64-wide k tile packs to 6 values,
 * far too short an inner loop; the sum over the tiles of a group is the same.
 */
function kTileGroups(kl: KLayout, kbPerTile: number, kBlocks: number): number[] {
  const bounds = [0];
  let kb0 = 0;
  while (kb0 < kBlocks) {
    let kb1 = Math.min(kBlocks, kb0 + kbPerTile);
    while (kb1 < kBlocks) {
      const next = Math.min(kBlocks, kb1 + kbPerTile);
      if (kl.kbOffset[next]! - kl.kbOffset[kb0]! > PACK_CHUNK) break;
      kb1 = next;
    }
    bounds.push(kb1);
    kb0 = kb1;
  }
  return bounds;
}

/**
 * L1 -> L0B for every k tile group of a part: group t holds, for each pair of output channels of the
 * part, their packed weights over the tile's K range, contiguous: `bTile[co/2][kc]`.
 */
function packWeightTiles(
  wz: Int8Array,
  cout1: number,
  kl: KLayout,
  groups: readonly number[],
  coBase: number,
  nc: number,
): Float64Array[] {
  const tiles: Float64Array[] = [];
  for (let gi = 0; gi + 1 < groups.length; gi++) {
    const kb0 = groups[gi]!;
    const kb1 = groups[gi + 1]!;
    const base = kl.kbOffset[kb0]!;
    const kc = kl.kbOffset[kb1]! - base;
    const t = new Float64Array((nc / 2) * kc);
    for (let kb = kb0; kb < kb1; kb++) {
      const lanes = kl.kbLanes[kb]!;
      const dOff = kl.kbOffset[kb]! - base;
      for (let j = 0; j < nc; j += 2) {
        // FRACTAL_Z: wz[kb][co1][co0][c0], and co1*16 + co0 = co.
        const s0 = (kb * cout1 * CO0 + coBase + j) * C0_INT8;
        const s1 = s0 + C0_INT8;
        const d = (j / 2) * kc + dOff;
        for (let c = 0; c < lanes; c++) t[d + c] = wz[s0 + c]! + wz[s1 + c]! * PACK;
      }
    }
    tiles.push(t);
  }
  return tiles;
}

/** Adds the two halves of a packed sum to acc[i] (first channel) and acc[i+1] (second), wrapping. */
function addPacked(acc: Int32Array, i: number, s: number): void {
  const hi = Math.round(s * INV_PACK);
  acc[i] = (acc[i]! + (s - hi * PACK)) | 0;
  acc[i + 1] = (acc[i + 1]! + hi) | 0;
}

/**
 * Load3D: rows m0..m0+rows-1 of the img2col matrix for K blocks kb0..kb1-1 of image `n`, packed
 * as `a[r][kc]`. Cells outside the input hold offset_x [doc]; rows past M (the padding up to a
 * multiple of 16) are built the same way and dropped after the dequant.
 */
function load3d(
  a: Int8Array,
  x5: Int8Array,
  g: QuantConv2dGeometry,
  c1Count: number,
  kl: KLayout,
  n: number,
  m0: number,
  rows: number,
  kb0: number,
  kb1: number,
): number {
  const base = kl.kbOffset[kb0]!;
  const kc = kl.kbOffset[kb1]! - base;
  const { h: H, w: W, wOut, strideH, strideW, dilationH, dilationW, padH, padW, offsetX } = g;
  const imgBase = n * c1Count * H;
  for (let r = 0; r < rows; r++) {
    const m = m0 + r;
    const ho = Math.floor(m / wOut);
    const wo = m - ho * wOut;
    const ih0 = ho * strideH - padH;
    const iw0 = wo * strideW - padW;
    const rowOff = r * kc - base;
    for (let kb = kb0; kb < kb1; kb++) {
      const lanes = kl.kbLanes[kb]!;
      const d = rowOff + kl.kbOffset[kb]!;
      const ih = ih0 + kl.kbKh[kb]! * dilationH;
      const iw = iw0 + kl.kbKw[kb]! * dilationW;
      if (ih < 0 || ih >= H || iw < 0 || iw >= W) {
        for (let c = 0; c < lanes; c++) a[d + c] = offsetX;
      } else {
        const s = ((imgBase + kl.kbC1[kb]! * H + ih) * W + iw) * C0_INT8;
        for (let c = 0; c < lanes; c++) a[d + c] = x5[s + c]!;
      }
    }
  }
  return kc;
}

/**
 * load3d when every K block has all 32 lanes (Cin a multiple of 32): the same moves, done as
 * eight 32-bit words per block over Int32Array views of L0A and x5 (both 32-byte aligned here).
 */
function load3dFullLanes(
  a32: Int32Array,
  x532: Int32Array,
  g: QuantConv2dGeometry,
  c1Count: number,
  kl: KLayout,
  n: number,
  m0: number,
  rows: number,
  kb0: number,
  kb1: number,
): number {
  const kc = (kb1 - kb0) * C0_INT8;
  const wordsPerRow = kc >> 2;
  const { h: H, w: W, wOut, strideH, strideW, dilationH, dilationW, padH, padW } = g;
  const pad = Math.imul(g.offsetX & 0xff, 0x01010101); // offset_x in all four bytes
  const imgBase = n * c1Count * H;
  for (let r = 0; r < rows; r++) {
    const m = m0 + r;
    const ho = Math.floor(m / wOut);
    const wo = m - ho * wOut;
    const ih0 = ho * strideH - padH;
    const iw0 = wo * strideW - padW;
    let d = r * wordsPerRow;
    for (let kb = kb0; kb < kb1; kb++, d += 8) {
      const ih = ih0 + kl.kbKh[kb]! * dilationH;
      const iw = iw0 + kl.kbKw[kb]! * dilationW;
      if (ih < 0 || ih >= H || iw < 0 || iw >= W) {
        for (let c = 0; c < 8; c++) a32[d + c] = pad;
      } else {
        const s = ((imgBase + kl.kbC1[kb]! * H + ih) * W + iw) * 8;
        for (let c = 0; c < 8; c++) a32[d + c] = x532[s + c]!;
      }
    }
  }
  return kc;
}

/**
 * Cube: acc[r][accCol0 + j] += sum_k a[r][k] * b[bCol0 + j][k] for r < rows, j < cols, int32
 * wrapping, with b packed in channel pairs (packWeightTiles). rows and cols are multiples of 16
 * (whole fractals), so the 2-row x 8-channel register block always divides them.
 */
function mmad(
  a: Int8Array,
  bp: Float64Array,
  kc: number,
  rows: number,
  bCol0: number,
  cols: number,
  acc: Int32Array,
  accStride: number,
  accCol0: number,
): void {
  // Channel groups outside, rows inside: the 8 channels' packed weights (4 x kc float64) stay in
  // the host's L1 cache while the rows of A stream past.
  for (let j = 0; j < cols; j += 8) {
    const p0 = ((bCol0 + j) / 2) * kc;
    const p1 = p0 + kc;
    const p2 = p1 + kc;
    const p3 = p2 + kc;
    for (let r = 0; r < rows; r += 2) {
      const a0 = r * kc;
      const a1 = a0 + kc;
      const c0 = r * accStride + accCol0;
      const c1 = c0 + accStride;
      for (let ks = 0; ks < kc; ks += PACK_CHUNK) {
        const ke = Math.min(kc, ks + PACK_CHUNK);
        let s00 = 0,
          s01 = 0,
          s02 = 0,
          s03 = 0,
          s10 = 0,
          s11 = 0,
          s12 = 0,
          s13 = 0;
        for (let k = ks; k < ke; k++) {
          const x0 = a[a0 + k]!;
          const x1 = a[a1 + k]!;
          const w0 = bp[p0 + k]!;
          const w1 = bp[p1 + k]!;
          const w2 = bp[p2 + k]!;
          const w3 = bp[p3 + k]!;
          s00 += x0 * w0;
          s01 += x0 * w1;
          s02 += x0 * w2;
          s03 += x0 * w3;
          s10 += x1 * w0;
          s11 += x1 * w1;
          s12 += x1 * w2;
          s13 += x1 * w3;
        }
        addPacked(acc, c0 + j, s00);
        addPacked(acc, c0 + j + 2, s01);
        addPacked(acc, c0 + j + 4, s02);
        addPacked(acc, c0 + j + 6, s03);
        addPacked(acc, c1 + j, s10);
        addPacked(acc, c1 + j + 2, s11);
        addPacked(acc, c1 + j + 4, s12);
        addPacked(acc, c1 + j + 6, s13);
      }
    }
  }
}

/** Bias is the accumulator's initial value (BiasTable on A2/A3, broadcast into L0C on 310P) [doc]. */
function initAccumulators(acc: Int32Array, rows: number, biasRow: Int32Array): void {
  const nc = biasRow.length;
  for (let r = 0, i = 0; r < rows; r++) for (let j = 0; j < nc; j++, i++) acc[i] = biasRow[j]!;
}

const f32Scratch = new Float32Array(1);
const u32Scratch = new Uint32Array(f32Scratch.buffer);

/**
 * FixPipe (310P: the vector unit's vdeq): y = float16(float32(float32(acc) * M1)) for the first
 * `rows` rows of an m tile's accumulators (`acc[r][j]`, nc channels starting at a 16-block),
 * written to the NC1HWC0 (C0 = 16) output from `dst` on. float32(acc) * M1 is exact in float64
 * (24-bit by 24-bit mantissas), so storing it to a Float32Array rounds once, as Math.fround would.
 */
function fixpipe(
  acc: Int32Array,
  nc: number,
  rows: number,
  scales: Float32Array,
  out5: Uint16Array,
  dst: number,
  hw: number,
  saturate: boolean,
): void {
  const f32 = f32Scratch;
  const u32 = u32Scratch;
  for (let j = 0; j < nc; j++) {
    const scale = scales[j]!;
    // Channel j of the part sits in block j >> 4, lane j & 15.
    const o = dst + (j >> 4) * hw * C0_FP16 + (j & 15);
    for (let r = 0; r < rows; r++) {
      f32[0] = Math.fround(acc[r * nc + j]!) * scale;
      const h = float32BitsToFloat16Bits(u32[0]!);
      out5[o + r * C0_FP16] = saturate ? saturateFloat16Bits(h) : h;
    }
  }
}

/** One core's part: every batch, m tile, k tile and n tile of it, into the NC1HWC0 output. */
function runCorePart(
  plan: QuantConv2dPlan,
  part: CorePart,
  x5: Int8Array,
  wz: Int8Array,
  kl: KLayout,
  bias: Int32Array | null,
  m1: Float32Array,
  out5: Uint16Array,
): void {
  const { g, dims: d, tiles, soc } = plan;
  const groups = kTileGroups(kl, tiles.kL0 / C0_INT8, d.kBlocks);
  const coBase = part.cb0 * CO0;
  const nc = (part.cb1 - part.cb0) * CO0;
  const bTiles = packWeightTiles(wz, d.coutBlocks, kl, groups, coBase, nc);
  let kcMax = 0;
  for (let t = 0; t + 1 < groups.length; t++)
    kcMax = Math.max(kcMax, kl.kbOffset[groups[t + 1]!]! - kl.kbOffset[groups[t]!]!);
  const aTile = new Int8Array(tiles.mL0 * kcMax);
  const fullLanes = g.cin % C0_INT8 === 0;
  const a32 = fullLanes ? new Int32Array(aTile.buffer) : null;
  const x532 = fullLanes ? new Int32Array(x5.buffer, x5.byteOffset, x5.length >> 2) : null;
  const acc = new Int32Array(tiles.mL0 * nc); // the part's L0C tiles for one m tile, side by side
  // The part's bias (BiasTable / L0C broadcast) and M1 values; padded channels get 0.
  const biasRow = new Int32Array(nc);
  const scales = new Float32Array(nc);
  for (let j = 0; j < nc && coBase + j < g.cout; j++) {
    biasRow[j] = bias !== null ? bias[coBase + j]! : 0;
    scales[j] = m1[coBase + j]!;
  }
  const saturate = soc.fp16Overflow.value === "saturate";
  const mEnd = part.mb1 * 16;
  const hw = d.m;
  for (let n = part.n0; n < part.n1; n++) {
    for (let m0 = part.mb0 * 16; m0 < mEnd; m0 += tiles.mL0) {
      const rows = Math.min(tiles.mL0, mEnd - m0);
      initAccumulators(acc, rows, biasRow);
      for (let t = 0; t + 1 < groups.length; t++) {
        const kc =
          a32 !== null && x532 !== null
            ? load3dFullLanes(a32, x532, g, d.c1, kl, n, m0, rows, groups[t]!, groups[t + 1]!)
            : load3d(aTile, x5, g, d.c1, kl, n, m0, rows, groups[t]!, groups[t + 1]!);
        const b = bTiles[t]!;
        for (let j0 = 0; j0 < nc; j0 += tiles.nL0) {
          mmad(aTile, b, kc, rows, j0, Math.min(tiles.nL0, nc - j0), acc, nc, j0);
        }
      }
      // Padded rows (m >= Ho*Wo) are dropped here.
      fixpipe(
        acc,
        nc,
        Math.min(rows, hw - m0),
        scales,
        out5,
        ((n * d.coutBlocks + part.cb0) * hw + m0) * C0_FP16,
        hw,
        saturate,
      );
    }
  }
}

/** The caller (the tensor layer) validated shapes; this only guards against mixed-up buffers. */
function checkBufferSizes(
  g: QuantConv2dGeometry,
  input: Int8Array,
  weightFz: Int8Array,
  bias: Int32Array | null,
  scaleWords: BigInt64Array,
  out: Uint16Array,
): void {
  const fz = fractalZShape(g.cout, g.cin, g.kh, g.kw).reduce((a, b) => a * b, 1);
  const checks: [string, number, number][] = [
    ["input (NCHW int8)", input.length, g.n * g.cin * g.h * g.w],
    ["weight (FRACTAL_Z int8)", weightFz.length, fz],
    ["scale", scaleWords.length, g.cout],
    ["out (NCHW float16)", out.length, g.n * g.cout * g.hOut * g.wOut],
  ];
  if (bias) checks.push(["bias", bias.length, g.cout]);
  for (const [name, got, want] of checks) {
    if (got !== want)
      throw new RangeError(`simulateQuantConv2d: ${name} has ${got} elements, expected ${want}`);
  }
}

export interface SimulateOptions {
  /**
   * A plan from planQuantConv2d for a shape already checked against the product's limits (e.g.
   * by graph mode at compile time). When absent, the shape is checked and planned here.
   */
  readonly plan?: QuantConv2dPlan;
}

/** Checks the product's limits (throws with error.refusal), then plans the tiles. */
function checkedPlan(soc: SocSpec, g: QuantConv2dGeometry, hasBias: boolean): QuantConv2dPlan {
  assertQuantConv2dSupported(soc, g);
  return planQuantConv2d(soc, g, hasBias);
}

/**
 * QuantConv2d on the simulated `soc`. `input` is NCHW int8, `weightFz` the FRACTAL_Z weight (see
 * prepareQuantConv2dWeight), `out` receives NCHW float16 bits. Without a plan, throws
 * (error.refusal) when the product refuses the shape. Returns the op's profile, with the
 * input/output TransData entries.
 */
export function simulateQuantConv2d(
  soc: SocSpec,
  g: QuantConv2dGeometry,
  input: Int8Array,
  weightFz: Int8Array,
  bias: Int32Array | null,
  scaleWords: BigInt64Array,
  out: Uint16Array,
  options: SimulateOptions = {},
): OpProfile {
  const plan = options.plan ?? checkedPlan(soc, g, bias !== null);
  checkBufferSizes(g, input, weightFz, bias, scaleWords, out);
  const d = plan.dims;
  const x5 = nchwToNc1hwc0Int8(input, g.n, g.cin, g.h, g.w);
  const tdIn = transDataProfile(soc, "NCHW->NC1HWC0", input.length, x5.length, "before");

  // M1 = float32 of the low word & 0xFFFFE000; padded channels get 0 (their lanes are dropped).
  const m1 = new Float32Array(d.coutBlocks * CO0);
  for (let co = 0; co < g.cout; co++) m1[co] = decodeQuantScale(scaleWords[co]!);

  const kl = kLayout(g, d.kBlocks);
  const out5 = new Uint16Array(g.n * d.coutBlocks * d.m * C0_FP16);
  for (const part of plan.parts) runCorePart(plan, part, x5, weightFz, kl, bias, m1, out5);

  nc1hwc0ToNchwFloat16(out5, g.n, g.cout, g.hOut, g.wOut, out);
  const tdOut = transDataProfile(soc, "NC1HWC0->NCHW", out5.length * 2, out.length * 2, "after");
  return quantConv2dProfile(soc, g, plan.split, plan.tiles, plan.parts, [tdIn, tdOut]);
}

/** Eager mode convenience: OIHW weight in, converted per call (two TransData + conv profiles). */
export function simulateQuantConv2dOihw(
  soc: SocSpec,
  g: QuantConv2dGeometry,
  input: Int8Array,
  weightOihw: Int8Array,
  bias: Int32Array | null,
  scaleWords: BigInt64Array,
  out: Uint16Array,
): OpProfile {
  const plan = checkedPlan(soc, g, bias !== null);
  const { weightFz, profile: tdW } = prepareQuantConv2dWeight(soc, g, weightOihw);
  const p = simulateQuantConv2d(soc, g, input, weightFz, bias, scaleWords, out, { plan });
  return { ...p, transData: [tdW, ...p.transData] };
}
