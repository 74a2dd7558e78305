// float16 convolutions (depthwise and grouped ones included) and matmuls on the Cube (spec
// section 7): NC1HWC0 with C0 = 16, FRACTAL_Z weights padded to 16x16 fractals, one 16x16x16
// fractal per cycle per core.
//
// Groups. The Cube multiplies whole fractals. A grouped convolution packs E groups into one
// fractal column block (E = floor(16 / max(Cin/g, Cout/g)), at most `groups`) with the weights of
// each group on the block diagonal and zeros elsewhere [assume: the "group enlarge" packing of
// the public conv kernel]. A depthwise convolution (Cin/g = Cout/g = 1) thus uses 16 of the
// 256 lanes of each fractal: the Cube cycles count the whole fractals, and the profile's
// "fractal use" column shows macs / paddedMacs.
//
// Numerics. The Cube's products and sums are modelled in the order docs/semantics/float-ops.md
// fixes for every backend (conv2d: float32 accumulation, ci, kh, kw ascending; matmul: float64
// accumulation, k ascending), so
// the bits equal the cpu's. The order the fractals are issued in is the cycle model's business.

import type { Conv2dGeometry, MatmulGeometry } from "@tsnpu/tensor";
import {
  float16BitsToNumber,
  float32Bits,
  float32BitsToFloat16Bits,
  toFloat16Bits,
} from "@tsnpu/tensor";
import { saturateFloat16Bits } from "./execute.js";
import type { SocSpec } from "./soc.js";
import { peakFp16Tflops } from "./soc.js";
import { C0_FP16, ceilDiv, nchwToNc1hwc0Float16 } from "./layouts.js";
import { cyclesToUs, type ConstantUsed, type OpCost } from "./profile.js";

/** Bytes of one 16x16 float16 fractal. */
const FRACTAL_BYTES = C0_FP16 * C0_FP16 * 2;

/** How a grouped convolution fills the Cube's fractals. */
export interface GroupPacking {
  /** Groups packed into one fractal column block. */
  readonly enlarge: number;
  /** Packed groups: ceil(groups / enlarge). */
  readonly packedGroups: number;
  /** Input channel blocks of 16 per packed group. */
  readonly c1: number;
  /** Output channel blocks of 16 per packed group. */
  readonly coutBlocks: number;
}

export function groupPacking(g: Conv2dGeometry): GroupPacking {
  const cinG = g.cin / g.groups;
  const coutG = g.cout / g.groups;
  const enlarge =
    g.groups === 1
      ? 1
      : Math.max(1, Math.min(g.groups, Math.floor(C0_FP16 / Math.max(cinG, coutG))));
  return {
    enlarge,
    packedGroups: ceilDiv(g.groups, enlarge),
    c1: ceilDiv(enlarge * cinG, C0_FP16),
    coutBlocks: ceilDiv(enlarge * coutG, C0_FP16),
  };
}

/** A float16 Cube problem in fractal units: `rows` independent row blocks, each K x N. */
export interface CubeWork {
  readonly op: string;
  /** Row blocks of 16 (over batch, packed group and M). */
  readonly rowBlocks: number;
  /** K blocks of 16 per row block. */
  readonly kBlocks: number;
  /** N blocks of 16 per row block. */
  readonly nBlocks: number;
  /** Whether every core needs the whole B operand (one weight for all rows). */
  readonly sharedB: boolean;
  readonly bytesIn: number;
  /** The B operand (weights) as the Cube reads it, padded to fractals. */
  readonly bBytes: number;
  readonly bytesOut: number;
  readonly macs: number;
}

const used = (name: string, c: { value: unknown; tag: ConstantUsed["tag"]; note?: string }) => ({
  name,
  value: c.value,
  tag: c.tag,
  ...(c.note ? { note: c.note } : {}),
});

/**
 * The roofline of a float16 Cube op (spec sections 5 and 7): row blocks split evenly over the
 * Cube cores; per core Cube = rows * kBlocks * nBlocks cycles, MTE2 = its GM bytes / min(GM, L2)
 * rate, MTE1 = A and B fractals / L1 -> L0 rate (A reused across N, B across rows when they fit
 * half of L0A / L0B), FixPipe = float16 bytes out / its rate.
 */
export function cubeCost(soc: SocSpec, w: CubeWork): OpCost {
  const cores = Math.max(1, Math.min(soc.cubeCores.value, w.rowBlocks));
  const rows = ceilDiv(w.rowBlocks, cores);
  const share = rows / Math.max(1, w.rowBlocks);
  const cube = rows * w.kBlocks * w.nBlocks;
  const aFits = w.kBlocks * FRACTAL_BYTES <= soc.l0aBytes.value / 2;
  const bFits = w.kBlocks * w.nBlocks * FRACTAL_BYTES <= soc.l0bBytes.value / 2;
  const aBytes = rows * w.kBlocks * FRACTAL_BYTES * (aFits ? 1 : w.nBlocks);
  const bBytes = w.kBlocks * w.nBlocks * FRACTAL_BYTES * (bFits ? 1 : rows);
  const bGm = w.sharedB ? w.bBytes : w.bBytes * share;
  const gm = (w.bytesIn - w.bBytes) * share + bGm;
  const gmRate = Math.min(soc.gmReadBytesPerCycle.value, soc.l2ReadBytesPerCycle.value);
  const out = w.bytesOut * share;
  const paddedMacs = w.rowBlocks * w.kBlocks * w.nBlocks * C0_FP16 ** 3;
  return {
    op: w.op,
    unit: "Cube",
    units: {
      cube,
      mte1: aBytes / soc.l1ToL0aBytesPerCycle.value + bBytes / soc.l1ToL0bBytesPerCycle.value,
      mte2: gm / gmRate,
      fixpipe: out / soc.fixpipeBytesPerCycle.value,
    },
    prologueCycles: soc.corePrologueCycles.value,
    cores,
    bytesIn: w.bytesIn,
    bytesOut: w.bytesOut,
    macs: w.macs,
    paddedMacs,
    peakTops: peakFp16Tflops(soc),
    constants: [
      used("cubeCores", soc.cubeCores),
      used("clockGHz", soc.clockGHz),
      used("cubeStepFp16", soc.cubeStepFp16),
      used("l0aBytes", soc.l0aBytes),
      used("l0bBytes", soc.l0bBytes),
      used("gmReadBytesPerCycle", soc.gmReadBytesPerCycle),
      used("l2ReadBytesPerCycle", soc.l2ReadBytesPerCycle),
      used("l1ToL0aBytesPerCycle", soc.l1ToL0aBytesPerCycle),
      used("l1ToL0bBytesPerCycle", soc.l1ToL0bBytesPerCycle),
      used("fixpipeBytesPerCycle", soc.fixpipeBytesPerCycle),
      used("corePrologueCycles", soc.corePrologueCycles),
    ],
  };
}

/** The Cube work of a float16 conv2d: M = Ho*Wo in 16-row blocks per image and packed group. */
export function conv2dCubeWork(g: Conv2dGeometry, hasBias: boolean): CubeWork {
  const p = groupPacking(g);
  const m = g.hOut * g.wOut;
  const kBlocks = p.c1 * g.kh * g.kw;
  const bBytes = p.packedGroups * kBlocks * p.coutBlocks * FRACTAL_BYTES;
  return {
    op: g.groups === 1 ? "Conv2D" : g.groups === g.cin ? "DepthwiseConv2D" : "GroupConv2D",
    rowBlocks: g.n * p.packedGroups * ceilDiv(m, 16),
    kBlocks,
    nBlocks: p.coutBlocks,
    sharedB: p.packedGroups === 1,
    bytesIn: g.n * g.cin * g.h * g.w * 2 + bBytes + (hasBias ? g.cout * 2 : 0),
    bBytes,
    bytesOut: g.n * g.cout * m * 2,
    macs: g.n * m * g.cout * (g.cin / g.groups) * g.kh * g.kw,
  };
}

/** The Cube work of a float16 matmul: each batch's rows in 16-row blocks. */
export function matmulCubeWork(g: MatmulGeometry, aBatch: number, bBatch: number): CubeWork {
  const batches = g.batch.reduce((a, b) => a * b, 1);
  const kBlocks = ceilDiv(g.k, 16);
  const nBlocks = ceilDiv(g.m, 16);
  const bBytes = Math.max(1, bBatch) * kBlocks * nBlocks * FRACTAL_BYTES;
  return {
    op: "MatMul",
    rowBlocks: batches * ceilDiv(g.n, 16),
    kBlocks,
    nBlocks,
    sharedB: bBatch <= 1,
    bytesIn: aBatch * g.n * g.k * 2 + bBytes,
    bBytes,
    bytesOut: batches * g.n * g.m * 2,
    macs: batches * g.n * g.k * g.m,
  };
}

/** Microseconds of a cost's roofline alone (tests, docs). */
export function rooflineUs(soc: SocSpec, c: OpCost): number {
  return cyclesToUs(soc, Math.max(...Object.values(c.units)) + c.prologueCycles);
}

/** float16 bits -> float32 values (exact). */
export function widenFloat16(bits: Uint16Array): Float32Array {
  const out = new Float32Array(bits.length);
  for (let i = 0; i < bits.length; i++) out[i] = float16BitsToNumber(bits[i]!);
  return out;
}

const F16_NAN_BITS = 0x7e00;

/** float32 values -> float16 bits (round to nearest even), saturating on the 310P. */
export function narrowToFloat16(values: Float32Array, out: Uint16Array, saturate: boolean): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    // A NaN result is the canonical quiet NaN (float-ops.md, "NaN results").
    const h = v === v ? float32BitsToFloat16Bits(float32Bits(v)) : F16_NAN_BITS;
    out[i] = saturate ? saturateFloat16Bits(h) : h;
  }
}

/**
 * OIHW float16 weights -> FRACTAL_Z (float32 values, exact): per packed group `pg`,
 * `wz[pg][(c1*KH + kh)*KW + kw][co1][co0][c0]` with the packed channels
 * `co' = e*Cout/g + co`, `ci' = e*Cin/g + ci` of group `pg*E + e`; zeros elsewhere.
 */
export function oihwToFractalZFloat16(weight: Uint16Array, g: Conv2dGeometry): Float32Array {
  const p = groupPacking(g);
  const cinG = g.cin / g.groups;
  const coutG = g.cout / g.groups;
  const kb = p.c1 * g.kh * g.kw;
  const groupSize = kb * p.coutBlocks * C0_FP16 * C0_FP16;
  const wz = new Float32Array(p.packedGroups * groupSize);
  for (let co = 0; co < g.cout; co++) {
    const group = Math.floor(co / coutG);
    const e = group % p.enlarge;
    const cop = e * coutG + (co % coutG);
    for (let ci = 0; ci < cinG; ci++) {
      const cip = e * cinG + ci;
      for (let i = 0; i < g.kh; i++) {
        for (let j = 0; j < g.kw; j++) {
          const k = ((cip >> 4) * g.kh + i) * g.kw + j;
          wz[fractalZFloat16Index(g, p, group, k, cop, cip)] = float16BitsToNumber(
            weight[((co * cinG + ci) * g.kh + i) * g.kw + j]!,
          );
        }
      }
    }
  }
  return wz;
}

function fractalZFloat16Index(
  g: Conv2dGeometry,
  p: GroupPacking,
  group: number,
  k: number,
  cop: number,
  cip: number,
): number {
  const pg = Math.floor(group / p.enlarge);
  const kb = p.c1 * g.kh * g.kw;
  return (
    (((pg * kb + k) * p.coutBlocks + (cop >> 4)) * C0_FP16 + (cop & 15)) * C0_FP16 + (cip & 15)
  );
}

/**
 * The float16 conv2d on the Cube: input NCHW float16 bits -> NC1HWC0 (C0 = 16), weights in
 * FRACTAL_Z (oihwToFractalZFloat16), NCHW float16 bits out. Each output accumulates in float32:
 * bias (or 0), then for ci, kh, kw ascending `acc = f32(acc + f32(x * w))`, padded taps
 * skipped, rounded once to float16.
 */
export function simulateConv2dFloat16(
  g: Conv2dGeometry,
  input: Uint16Array,
  wz: Float32Array,
  bias: Uint16Array | null,
  out: Uint16Array,
  saturate: boolean,
): void {
  const p = groupPacking(g);
  const cinG = g.cin / g.groups;
  const coutG = g.cout / g.groups;
  const c1All = ceilDiv(g.cin, C0_FP16);
  const x5 = widenFloat16(nchwToNc1hwc0Float16(input, g.n, g.cin, g.h, g.w));
  const plane = g.hOut * g.wOut;
  const acc = new Float32Array(g.n * g.cout * plane);
  const kStride = p.coutBlocks * C0_FP16 * C0_FP16; // FRACTAL_Z distance between k blocks
  for (let n = 0; n < g.n; n++) {
    for (let co = 0; co < g.cout; co++) {
      const group = Math.floor(co / coutG);
      const e = group % p.enlarge;
      const cop = e * coutG + (co % coutG);
      const a = acc.subarray((n * g.cout + co) * plane, (n * g.cout + co + 1) * plane);
      if (bias) a.fill(float16BitsToNumber(bias[co]!));
      for (let ci = 0; ci < cinG; ci++) {
        const c = group * cinG + ci; // channel of the input
        const cip = e * cinG + ci;
        const xBase = (n * c1All + (c >> 4)) * g.h;
        const wBase = fractalZFloat16Index(g, p, group, (cip >> 4) * g.kh * g.kw, cop, cip);
        for (let i = 0; i < g.kh; i++) {
          for (let j = 0; j < g.kw; j++) {
            const wv = wz[wBase + (i * g.kw + j) * kStride]!;
            // Output columns whose tap lands inside the row: iw = ow*sw - pl + j*dw in [0, W).
            const off = j * g.dilationW - g.padLeft;
            const ow0 = Math.max(0, Math.ceil(-off / g.strideW));
            const ow1 = Math.min(g.wOut, Math.floor((g.w - 1 - off) / g.strideW) + 1);
            for (let oh = 0; oh < g.hOut; oh++) {
              const ih = oh * g.strideH - g.padTop + i * g.dilationH;
              if (ih < 0 || ih >= g.h) continue;
              const row = (xBase + ih) * g.w * C0_FP16 + (c & 15);
              const o = oh * g.wOut;
              for (let ow = ow0; ow < ow1; ow++) {
                // Float32Array stores round the (exact double) sum to float32.
                a[o + ow] =
                  a[o + ow]! + Math.fround(x5[row + (ow * g.strideW + off) * C0_FP16]! * wv);
              }
            }
          }
        }
      }
    }
  }
  narrowToFloat16(acc, out, saturate);
}

/**
 * The float16 matmul on the Cube: a [batches, n, k] and b [batches, k, m] as exact values
 * (batch-broadcast already applied). docs/semantics/float-ops.md keeps matmul's float64 rule on
 * every backend: per output `acc = +0`, then `acc = acc + a * b` in doubles for k ascending,
 * rounded once on store (float16 through float32), NaNs as the arithmetic leaves them.
 */
export function simulateMatmulFloat16(
  a: Float64Array,
  b: Float64Array,
  batches: number,
  n: number,
  k: number,
  m: number,
  aBatchStride: number,
  bBatchStride: number,
  out: Uint16Array,
  saturate: boolean,
): void {
  const acc = new Float64Array(batches * n * m);
  for (let t = 0; t < batches; t++) {
    for (let i = 0; i < n; i++) {
      const row = (t * n + i) * m;
      const aRow = t * aBatchStride + i * k;
      for (let p = 0; p < k; p++) {
        const x = a[aRow + p]!;
        const bRow = t * bBatchStride + p * m;
        for (let j = 0; j < m; j++) acc[row + j] = acc[row + j]! + x * b[bRow + j]!;
      }
    }
  }
  for (let i = 0; i < acc.length; i++) {
    const h = toFloat16Bits(acc[i]!);
    out[i] = saturate ? saturateFloat16Bits(h) : h;
  }
}

/** float16 bits -> their exact values as doubles. */
export function widenFloat16ToDouble(bits: Uint16Array): Float64Array {
  const out = new Float64Array(bits.length);
  for (let i = 0; i < bits.length; i++) out[i] = float16BitsToNumber(bits[i]!);
  return out;
}
