// QuantConv2d on a runtime: packed weight handles (plan, packed weights and the buffers their
// geometry needs), the scratch every handle shares, and the per-call plan writes before the
// module's `run`. A call reuses its handle's buffers and the shared scratch, so repeated calls
// allocate nothing.

import type { QuantConv2dGeometry } from "@tsnpu/tensor";
import {
  P_BIAS,
  P_BIASV,
  P_CBG,
  P_EPI,
  P_IN,
  P_NCBG,
  P_NPB,
  P_OUT,
  P_PAD,
  P_PB,
  P_SCALE,
  P_SCALEV,
  P_SCRATCH,
  P_SCRATCH_STRIDE,
  P_SEGOFF,
  P_TMP,
  P_WORK_CHUNKS,
  P_WPACK,
  PLAN_FIELDS,
} from "../abi.js";
import type { Allocator } from "./allocator.js";
import type { KernelExports } from "./exports.js";
import { layoutQuantConv2d } from "./plan.js";
import type { WasmMemory } from "./wasm-types.js";

/** Packed weights plus the buffers a geometry needs; made by packQuantConv2dWeights. */
export interface PackedQuantConv2d {
  readonly geometry: QuantConv2dGeometry;
  /** Bytes of wasm memory this handle holds. */
  readonly bytes: number;
}

interface PackedInternal extends PackedQuantConv2d {
  plan: number;
  blocks: number[];
  macs: number;
  /** Bytes of the runtime's shared scratch this geometry uses (0: none). */
  scratchBytes: number;
  /** The thread count the plan's work split (CHUNK_FIELDS) is laid out for. */
  splitFor: number;
  disposed: boolean;
}

/** What the packed convolutions use of their runtime. */
export interface ConvContext {
  readonly memory: WasmMemory;
  readonly allocator: Allocator;
  readonly exports: KernelExports;
  /** The thread pool's control block. */
  readonly ctl: number;
  /** 1 if the calling thread may sleep in wait32 (Node, workers), 0 on a browser's main thread. */
  readonly canBlock: number;
  /** Threads started: buffers are sized for this many. */
  readonly numThreads: number;
  /** Calls with fewer multiply-adds run on the calling thread only. */
  readonly minParallelMacs: number;
}

/**
 * Plan fields that depend on the thread count: how finely work is split (smaller pixel blocks
 * and more channel groups only pay off when there are threads to share them). Rewritten when a
 * call uses another count.
 */
const CHUNK_FIELDS = [P_PB, P_NPB, P_CBG, P_NCBG, P_WORK_CHUNKS] as const;

const GEOMETRY_KEYS = [
  "n",
  "cin",
  "h",
  "w",
  "cout",
  "kh",
  "kw",
  "strideH",
  "strideW",
  "padH",
  "padW",
  "dilationH",
  "dilationW",
  "hOut",
  "wOut",
  "offsetX",
] as const;

/** Bytes kept free on both sides of the shared scratch (see scratchFor). */
const SCRATCH_GUARD = 256 * 1024;

export class PackedConvolutions {
  /** The scratch every packed convolution shares (calls never overlap); see scratchFor. */
  #scratch = { block: 0, ptr: 0, bytes: 0, users: 0 };
  #buffer: ArrayBufferLike;
  #live = new Set<PackedInternal>();
  #i32: Int32Array;

  constructor(private readonly ctx: ConvContext) {
    this.#buffer = ctx.memory.buffer;
    this.#i32 = new Int32Array(this.#buffer);
  }

  /** Bytes of the shared scratch (the largest need of the handles called; 0: none). */
  get scratchBytes(): number {
    return this.#scratch.bytes;
  }

  /** Handles packed and not yet freed. */
  get liveHandles(): number {
    return this.#live.size;
  }
  /** Bytes those handles hold. */
  get liveBytes(): number {
    let s = 0;
    for (const h of this.#live) s += h.bytes;
    return s;
  }

  /** Packs int8 OIHW weights for geometry `g` and allocates the per-geometry buffers. */
  pack(g: QuantConv2dGeometry, weight: Int8Array): PackedQuantConv2d {
    const { allocator, exports, memory, numThreads } = this.ctx;
    const k = g.cin * g.kh * g.kw;
    if (weight.length !== g.cout * k) {
      throw new RangeError(
        `packQuantConv2dWeights: expected ${g.cout * k} int8 weights, got ${weight.length}`,
      );
    }
    const layout = layoutQuantConv2d(g, numThreads);
    const f = layout.fields;
    const blocks: number[] = [];
    const get = (bytes: number) => {
      const p = allocator.alloc(bytes);
      blocks.push(p);
      return p;
    };
    const plan = get(PLAN_FIELDS * 4);
    f[P_SEGOFF] = get(layout.segOffsets.byteLength);
    f[P_WPACK] = get(layout.wpackBytes);
    f[P_PAD] = get(layout.padBytes + 64); // + slack: 16-byte loads may run past a row's end
    f[P_SCRATCH_STRIDE] = layout.scratchStride;
    f[P_BIASV] = get(layout.channelSlots * 4);
    f[P_SCALEV] = get(layout.channelSlots * 4);
    f[P_TMP] = get(64 * numThreads);
    const src = allocator.alloc(weight.length);
    // Views taken after the last allocation: the memory may have grown.
    new Int32Array(memory.buffer, f[P_SEGOFF]!, layout.segOffsets.length).set(layout.segOffsets);
    new Int32Array(memory.buffer, plan, PLAN_FIELDS).set(f);
    new Int8Array(memory.buffer, src, weight.length).set(weight);
    // The pad buffer's slack is read (never used) past valid data: make it defined.
    exports.fill(f[P_PAD]!, 0, layout.padBytes + 64);
    exports.packWeights(plan, src);
    allocator.free(src);
    const bytes = blocks.reduce((s, p) => s + allocator.sizeOf(p), 0);
    const scratchBytes = layout.scratchStride * numThreads;
    if (scratchBytes) this.#scratch.users++;
    const handle: PackedInternal = {
      geometry: { ...g },
      bytes,
      plan,
      blocks,
      macs: layout.macs,
      scratchBytes,
      splitFor: numThreads,
      disposed: false,
    };
    this.#live.add(handle);
    return handle;
  }

  /** Frees a handle's memory (and the shared scratch with the last handle using it). */
  free(packed: PackedQuantConv2d): void {
    const h = packed as PackedInternal;
    if (h.disposed) return;
    h.disposed = true;
    this.#live.delete(h);
    const { allocator } = this.ctx;
    for (const p of h.blocks) allocator.free(p);
    if (h.scratchBytes && --this.#scratch.users === 0 && this.#scratch.block) {
      allocator.free(this.#scratch.block);
      this.#scratch = { block: 0, ptr: 0, bytes: 0, users: 0 };
    }
  }

  /**
   * The shared scratch, at least `bytes` long. One block serves every packed convolution
   * because calls never overlap; it grows to the largest need. It sits SCRATCH_GUARD bytes
   * away from any other data (512 KiB once per runtime). Measured on 2 threads, kernel alone:
   * with each handle's scratch just after the weights, shape A took 794-808 µs when the input
   * lay just before the handle and 744 µs when it lay far away; with this guarded block,
   * 710-732 µs either way, and shape E 5% less. One thread did not change. Why the distance
   * matters is not known.
   */
  private scratchFor(bytes: number): number {
    const sc = this.#scratch;
    if (bytes > sc.bytes) {
      const { allocator } = this.ctx;
      if (sc.block) allocator.free(sc.block);
      sc.block = allocator.alloc(SCRATCH_GUARD + bytes + SCRATCH_GUARD);
      sc.ptr = sc.block + SCRATCH_GUARD;
      sc.bytes = bytes;
    }
    return sc.ptr;
  }

  /** One call (see WasmRuntime.quantConv2d) on at most `threadsPerCall` threads. */
  run(
    g: QuantConv2dGeometry,
    inputPtr: number,
    packed: PackedQuantConv2d,
    biasPtr: number,
    scalePtr: number,
    outPtr: number,
    threadsPerCall: number,
    epiPtr = 0,
  ): void {
    const h = packed as PackedInternal;
    if (h.disposed) throw new Error("quantConv2d: the packed weights were freed");
    if (g !== h.geometry) {
      for (const key of GEOMETRY_KEYS) {
        if (g[key] !== h.geometry[key]) {
          throw new Error(
            `quantConv2d: geometry ${key}=${g[key]} differs from the packed weights' ${h.geometry[key]}`,
          );
        }
      }
    }
    const scratch = h.scratchBytes ? this.scratchFor(h.scratchBytes) : 0; // may grow the memory
    const { memory, ctl, canBlock, minParallelMacs } = this.ctx;
    if (this.#buffer !== memory.buffer) {
      this.#buffer = memory.buffer;
      this.#i32 = new Int32Array(this.#buffer);
    }
    const base = h.plan >> 2;
    const i32 = this.#i32;
    i32[base + P_IN] = inputPtr;
    i32[base + P_BIAS] = biasPtr;
    i32[base + P_SCALE] = scalePtr;
    i32[base + P_OUT] = outPtr;
    i32[base + P_SCRATCH] = scratch;
    i32[base + P_EPI] = epiPtr;
    const threads = h.macs >= minParallelMacs ? threadsPerCall : 1;
    if (threads !== h.splitFor) {
      // Buffers are sized for numThreads, the most any call uses; only the split changes.
      const f = layoutQuantConv2d(h.geometry, threads).fields;
      for (const k of CHUNK_FIELDS) i32[base + k] = f[k]!;
      h.splitFor = threads;
    }
    this.ctx.exports.run(h.plan, ctl, threads, canBlock);
  }
}
