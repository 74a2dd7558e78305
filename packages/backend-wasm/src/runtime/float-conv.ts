// Float conv2d calls on a runtime (assembly/conv-float.ts, run by the thread pool as
// MODE_FLOAT_CONV): the plan of a call (the geometry the meta function derived, the call's
// pointers and how the work is cut into chunks) and the per-thread scratch the chunks buffer
// input rows in. One plan and one scratch per runtime are reused: calls are synchronous, so
// no two are in flight.

import type { Conv2dGeometry } from "@tsnpu/tensor";
import {
  PLAN_FIELDS,
  MODE_FLOAT_CONV,
  P_BIAS,
  P_CIN,
  P_COUT,
  P_DH,
  P_DW,
  P_EPI,
  P_FBAND,
  P_FBLOCK,
  P_FPHASE,
  P_FZEROTAPS,
  P_GROUPS,
  P_H,
  P_HO,
  P_IN,
  P_KH,
  P_KW,
  P_MODE,
  P_N,
  P_ODTYPE,
  P_OUT,
  P_PH,
  P_PREP_CHUNKS,
  P_PW,
  P_SCRATCH,
  P_SCRATCH_STRIDE,
  P_SH,
  P_SW,
  P_W,
  P_WO,
  P_WORK_CHUNKS,
  P_WPACK,
  P_XCHANNEL,
  P_XCOL,
  P_XIMAGE,
  P_XROW,
} from "../abi.js";
import type { ConvContext } from "./packed-conv.js";

/**
 * Pointers of one call: the NCHW input (any non-negative strides, in elements), the OIHW
 * weights and the bias (0: none), contiguous, and the contiguous output; all of one dtype.
 */
export interface FloatConvPointers {
  readonly input: number;
  readonly inputStrides: readonly [col: number, row: number, channel: number, image: number];
  readonly weight: number;
  readonly bias: number;
  readonly out: number;
  /**
   * The taps outside the input are a fused constant_pad_nd's zeros, added like any tap (the
   * conv itself has no padding); otherwise they are the conv's padding, skipped.
   */
  readonly paddingIsData?: boolean;
  /**
   * An epilogue block (src/abi.ts E_*) whose quantize words (E_QUANT ..) make the call store
   * npu_quantize's int8/uint8 of its float16 results instead of them (a fused
   * conv2d -> npu_quantize step); 0 or absent: the float results.
   */
  readonly quantize?: number;
}

/** Bytes of buffered input rows a chunk aims to stay under (they are read back from cache). */
const ROW_BUDGET = 128 * 1024;
/** Chunks a call is cut into at least, where the geometry allows (threads balance them). */
const MIN_CHUNKS = 16;
/**
 * What a float MAC costs in the int8 MACs minParallelMacs counts (the int8 GEMMs run about
 * four times as many a second): BlazeFace's depthwise convs of 0.2-0.5 M MACs take 0.05-0.1 ms
 * on one thread, worth splitting.
 */
const FLOAT_MAC_COST = 4;
/** Output channels of one group a chunk computes at most (a multiple of 4). */
const MAX_BLOCK = 32;

/** How a call's work is cut, and the scratch bytes one thread needs for it. */
export interface FloatConvSplit {
  /** Output rows per chunk. */
  readonly band: number;
  /** Output channels per chunk: of one group, or of as many groups for a depthwise conv. */
  readonly block: number;
  /** Floats of one phase of a buffered row. */
  readonly phase: number;
  readonly chunks: number;
  readonly scratchBytes: number;
}

/** The work split of geometry `g`. */
export function floatConvSplit(g: Conv2dGeometry): FloatConvSplit {
  const cinPG = g.cin / g.groups;
  const coutPG = g.cout / g.groups;
  const block = coutPG <= MAX_BLOCK ? coutPG : MAX_BLOCK;
  const outer = g.n * g.groups * Math.ceil(coutPG / block);
  // A buffered row holds every column a vector of four outputs (the last one moved back to
  // end at the row's end) reads: max(wOut, 4) + the kernel's extent in phase columns.
  const phase = roundUp(
    Math.max(g.wOut, 4) + Math.floor(((g.kw - 1) * g.dilationW) / g.strideW),
    4,
  );
  const rowBytes = g.strideW * phase * 4;
  const rowsFor = (band: number) => (band - 1) * g.strideH + (g.kh - 1) * g.dilationH + 1;
  let band = g.hOut;
  const perRow = cinPG * rowBytes;
  while (band > 1 && rowsFor(band) * perRow > ROW_BUDGET) band = Math.ceil(band / 2);
  if (outer * Math.ceil(g.hOut / band) < MIN_CHUNKS)
    band = Math.min(band, Math.ceil(g.hOut / Math.ceil(MIN_CHUNKS / outer)));
  const bands = Math.ceil(g.hOut / band);
  // A depthwise conv (one input and one output channel a group): a chunk takes channels of
  // several groups, one setup for all, as long as the call keeps MIN_CHUNKS chunks (a chunk
  // per channel made BlazeFace's 8x8 planes cost more in setup than in MACs).
  const depthwise = cinPG === 1 && coutPG === 1;
  const channels = depthwise
    ? Math.max(1, Math.min(MAX_BLOCK, Math.floor((outer * bands) / MIN_CHUNKS)))
    : block;
  const chunks = depthwise ? g.n * Math.ceil(g.groups / channels) * bands : outer * bands;
  const stage = g.strideW > 1 ? rowBytes : 0;
  // The chunk's weights as float32, next to its rows (read from the weight tensor itself,
  // float32 convs ran up to twice as long).
  const weights = channels * cinPG * g.kh * g.kw * 4;
  return {
    band,
    block: channels,
    phase,
    chunks,
    // ROWS_HEADER: the row geometry the chunk writes first (assembly/conv-float.ts, Rows).
    scratchBytes: roundUp(ROWS_HEADER + rowsFor(band) * perRow + stage + weights, 64),
  };
}

/** Bytes of the chunk's row geometry at the start of its scratch (assembly/conv-float.ts). */
const ROWS_HEADER = 2048;

const roundUp = (v: number, m: number) => Math.ceil(v / m) * m;

/** Writes the plan of a call into `plan` (PLAN_FIELDS i32) but for the scratch fields. */
export function writeFloatConvPlan(
  plan: Int32Array,
  g: Conv2dGeometry,
  p: FloatConvPointers,
  dtype: number,
  split: FloatConvSplit,
): void {
  plan[P_MODE] = MODE_FLOAT_CONV;
  plan[P_N] = g.n;
  plan[P_CIN] = g.cin;
  plan[P_H] = g.h;
  plan[P_W] = g.w;
  plan[P_COUT] = g.cout;
  plan[P_KH] = g.kh;
  plan[P_KW] = g.kw;
  plan[P_SH] = g.strideH;
  plan[P_SW] = g.strideW;
  plan[P_PH] = g.padTop;
  plan[P_PW] = g.padLeft;
  plan[P_DH] = g.dilationH;
  plan[P_DW] = g.dilationW;
  plan[P_HO] = g.hOut;
  plan[P_WO] = g.wOut;
  plan[P_GROUPS] = g.groups;
  plan[P_ODTYPE] = dtype;
  plan[P_IN] = p.input;
  [plan[P_XCOL], plan[P_XROW], plan[P_XCHANNEL], plan[P_XIMAGE]] = p.inputStrides;
  plan[P_WPACK] = p.weight;
  plan[P_BIAS] = p.bias;
  plan[P_OUT] = p.out;
  plan[P_FBAND] = split.band;
  plan[P_FBLOCK] = split.block;
  plan[P_FPHASE] = split.phase;
  plan[P_FZEROTAPS] = p.paddingIsData ? 1 : 0;
  plan[P_EPI] = p.quantize ?? 0;
  plan[P_PREP_CHUNKS] = 0;
  plan[P_WORK_CHUNKS] = split.chunks;
}

export class FloatConvolutions {
  #plan = 0;
  #scratch = 0;
  #scratchStride = 0;

  constructor(private readonly ctx: ConvContext) {}

  /** Bytes of the scratch (a block per thread started; grows to the largest need). */
  get scratchBytes(): number {
    return this.#scratchStride * this.ctx.numThreads;
  }

  /**
   * conv2d of geometry `g` (validated by the op's meta function) on up to `threadsPerCall`
   * threads; `dtype`: DTYPE_F32 or DTYPE_F16, of the input, weights, bias and output.
   */
  run(g: Conv2dGeometry, p: FloatConvPointers, dtype: number, threadsPerCall: number): void {
    const { allocator, exports, ctl, canBlock, numThreads } = this.ctx;
    if (!this.#plan) this.#plan = allocator.alloc(PLAN_FIELDS * 4);
    const split = floatConvSplit(g);
    if (split.scratchBytes > this.#scratchStride) {
      if (this.#scratch) allocator.free(this.#scratch);
      this.#scratch = allocator.alloc(split.scratchBytes * numThreads); // may grow the memory
      this.#scratchStride = split.scratchBytes;
    }
    const plan = new Int32Array(this.ctx.memory.buffer, this.#plan, PLAN_FIELDS);
    writeFloatConvPlan(plan, g, p, dtype, split);
    plan[P_SCRATCH] = this.#scratch;
    plan[P_SCRATCH_STRIDE] = this.#scratchStride;
    const macs = g.n * g.cout * g.hOut * g.wOut * (g.cin / g.groups) * g.kh * g.kw;
    const threads = macs * FLOAT_MAC_COST >= this.ctx.minParallelMacs ? threadsPerCall : 1;
    exports.run(this.#plan, ctl, threads, canBlock);
  }
}
