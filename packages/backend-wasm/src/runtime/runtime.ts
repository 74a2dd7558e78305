// WasmRuntime: one kernel module instance on one linear memory (shared with worker threads
// when there are any), an allocator for that memory, and QuantConv2d over it.
//
//   const rt = await WasmRuntime.create({ numThreads: 2 });   // async, once
//   const packed = rt.packQuantConv2dWeights(g, weightInt8);   // once per weight tensor
//   const x = rt.alloc(bytes); rt.write(x, input); ...
//   rt.quantConv2d(g, x, packed, biasPtr, scalePtr, outPtr);   // synchronous, every call
//
// Pointers are byte offsets into `rt.memory`. A call reuses the buffers its packed handle
// owns (padded input copy) and the runtime's shared scratch, so repeated calls allocate nothing.

import { ArgumentError, describe, type Pool2dGeometry, type QuantConv2dGeometry } from "@tsnpu/tensor";
import { Allocator } from "./allocator.js";
import {
  compileWasm, defaultWasmUrl, hardwareConcurrency, isNode, startWorker, threadsUnavailableReason,
  warnSingleThread, type WorkerHandle,
} from "./loader.js";
import { layoutQuantConv2d, P, PLAN_FIELDS } from "./plan.js";
import type { WasmMemory, WasmSource } from "./wasm-types.js";
import { WORKER_SOURCE } from "./worker-source.js";

export type { WasmSource } from "./wasm-types.js";

export interface WasmRuntimeOptions {
  /** Threads including the calling one. Default min(hardware cores, 4); 1 where threads are unavailable. */
  readonly numThreads?: number;
  /** The threaded kernel module (shared memory); default wasm/tsnpu-kernels.wasm in this package. */
  readonly wasm?: WasmSource;
  /** The single-thread kernel module (plain memory); default wasm/tsnpu-kernels-st.wasm. */
  readonly wasmSingleThread?: WasmSource;
  /** Upper bound of the linear memory in bytes (default 1 GiB, at most 4 GiB). */
  readonly maxMemoryBytes?: number;
  /** Calls with fewer multiply-adds than this run on the calling thread only (default 2^19). */
  readonly minParallelMacs?: number;
  /**
   * Milliseconds a thread polls before it sleeps: a worker after each call, and the calling
   * thread waiting for the workers' last chunks (default 10). Waking a sleeping thread can
   * take longer than a whole call on a busy machine, so back-to-back calls within this window
   * keep every thread busy; 0 sleeps at once (frees the cores, slower repeated calls).
   */
  readonly spinMs?: number;
}

interface Exports {
  heapBase(): number;
  zero(ptr: number, bytes: number): void;
  controlBytes(threads: number): number;
  run(plan: number, ctl: number, nthreads: number, canBlock: number): void;
  packWeights(plan: number, src: number): void;
  wakeAll(ctl: number): void;
  convertF32ToF16(src: number, dst: number, n: number): void;
  relu(dtype: number, src: number, dst: number, n: number): void;
  unary(op: number, dtype: number, src: number, dst: number, n: number): void;
  clamp(dtype: number, src: number, dst: number, n: number, lo: number, hi: number, nanBits: number): void;
  binary(op: number, dtype: number, a: number, b: number, out: number, n: number, alpha: number, scalar: number): void;
  maxPool2d(
    dtype: number, src: number, dst: number, planes: number, h: number, w: number, kh: number, kw: number,
    strideH: number, strideW: number, padH: number, padW: number, dilationH: number, dilationW: number, hOut: number, wOut: number,
  ): void;
  matmul(dtype: number, a: number, b: number, out: number, batches: number, n: number, k: number, m: number, aStride: number, bStride: number): void;
  avgPool2d(
    dtype: number, src: number, dst: number, planes: number, h: number, w: number, kh: number, kw: number,
    strideH: number, strideW: number, padH: number, padW: number, hOut: number, wOut: number, countIncludePad: number, divisorOverride: number,
  ): void;
  reduce(op: number, dtype: number, src: number, dst: number, groups: number, size: number): void;
}

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

/**
 * Plan fields that depend on the thread count: how finely work is split (more channel groups
 * only pay off when there are threads to share them). Rewritten when a call uses another count.
 */
const CHUNK_FIELDS = [P.CBG, P.NCBG, P.WORK_CHUNKS] as const;

const GEOMETRY_KEYS = [
  "n", "cin", "h", "w", "cout", "kh", "kw", "strideH", "strideW", "padH", "padW",
  "dilationH", "dilationW", "hOut", "wOut", "offsetX",
] as const;

/** Bytes kept free on both sides of the shared scratch (see scratchFor). */
const SCRATCH_GUARD = 256 * 1024;

const CTL_SPIN_US = 76;
const CTL_QUIT = 72;

type TypedArrayCtor<T> = { new (buffer: ArrayBufferLike, byteOffset: number, length: number): T; BYTES_PER_ELEMENT: number };

export class WasmRuntime {
  /** Threads started (the calling thread included): the most a call can use. */
  readonly numThreads: number;
  /** Why numThreads is 1 although more were wanted, or null. */
  readonly singleThreadReason: string | null;
  readonly memory: WasmMemory;
  private readonly exports: Exports;
  private readonly allocator: Allocator;
  private readonly workers: WorkerHandle[];
  private readonly ctl: number;
  private readonly minParallelMacs: number;
  /** 1 if the calling thread may sleep in wait32 (Node, workers), 0 on a browser's main thread. */
  private readonly canBlock: number;
  private buffer: ArrayBufferLike;
  private i32: Int32Array;
  private disposed = false;
  #threadsPerCall: number;
  /** The scratch every packed convolution shares (calls never overlap); see scratchFor. */
  #scratch = { block: 0, ptr: 0, bytes: 0, users: 0 };

  private constructor(init: {
    numThreads: number; reason: string | null; memory: WebAssembly.Memory; exports: Exports;
    allocator: Allocator; ctl: number; minParallelMacs: number;
  }) {
    this.numThreads = init.numThreads;
    this.singleThreadReason = init.reason;
    this.memory = init.memory;
    this.exports = init.exports;
    this.allocator = init.allocator;
    this.ctl = init.ctl;
    this.minParallelMacs = init.minParallelMacs;
    this.canBlock = isNode || typeof (globalThis as { document?: unknown }).document === "undefined" ? 1 : 0;
    this.workers = [];
    this.#threadsPerCall = init.numThreads;
    this.buffer = this.memory.buffer;
    this.i32 = new Int32Array(this.buffer);
  }

  /** Compiles and instantiates the kernels and starts the workers. The only async step. */
  static async create(options: WasmRuntimeOptions = {}): Promise<WasmRuntime> {
    checkOptions(options);
    const cores = await hardwareConcurrency();
    const wanted = options.numThreads ?? Math.max(1, Math.min(cores, 4));
    let reason: string | null = null;
    let numThreads = wanted;
    if (wanted > 1) {
      reason = threadsUnavailableReason();
      if (reason) {
        numThreads = 1;
        warnSingleThread(reason);
      }
    }
    const threaded = numThreads > 1;
    const module = await compileWasm(
      threaded ? (options.wasm ?? defaultWasmUrl(true)) : (options.wasmSingleThread ?? defaultWasmUrl(false)),
    );
    const maxBytes = Math.min(options.maxMemoryBytes ?? 2 ** 30, 2 ** 32);
    const maximum = Math.ceil(maxBytes / 65536);
    const memory = new WebAssembly.Memory(
      threaded ? { initial: 256, maximum, shared: true } : { initial: 256, maximum },
    );
    const instance = await WebAssembly.instantiate(module, { env: { memory, now: () => performance.now() } });
    const exports = instance.exports as unknown as Exports;
    const allocator = new Allocator(memory, exports.heapBase(), maximum * 65536);
    const ctlBytes = exports.controlBytes(numThreads);
    const ctl = allocator.alloc(ctlBytes);
    exports.zero(ctl, ctlBytes);
    const rt = new WasmRuntime({
      numThreads, reason, memory, exports, allocator, ctl,
      minParallelMacs: options.minParallelMacs ?? 2 ** 19,
    });
    rt.view(Int32Array, ctl + CTL_SPIN_US, 1)[0] = Math.round((options.spinMs ?? 10) * 1000);
    if (threaded) {
      try {
        for (let tid = 1; tid < numThreads; tid++) {
          // Generation 0: no call can start before every worker is ready.
          rt.workers.push(await startWorker(WORKER_SOURCE, { module, memory, ctl, tid, startGen: 0 }));
        }
      } catch (e) {
        rt.dispose();
        throw e;
      }
    }
    return rt;
  }

  /** Threads a QuantConv2d call may use, the calling thread included (default: numThreads). */
  get threadsPerCall(): number {
    return this.#threadsPerCall;
  }

  /**
   * Limits the threads of later calls to `n` of the numThreads started, as torch.set_num_threads
   * does; the other workers stay idle. Results do not depend on it.
   */
  setThreadsPerCall(n: number): void {
    if (!Number.isInteger(n) || n < 1 || n > this.numThreads) {
      throw new ArgumentError("wasm.setNumThreads", "n", `an integer in [1, ${this.numThreads}] (the threads this runtime started)`, describe(n));
    }
    this.#threadsPerCall = n;
  }

  /** Allocates `bytes` (64-byte aligned) in the runtime's memory; may grow it. */
  alloc(bytes: number): number {
    return this.allocator.alloc(bytes);
  }

  free(ptr: number): void {
    this.allocator.free(ptr);
  }

  /** Bytes of the scratch that packed convolutions share (the largest need of those called; 0: none). */
  get scratchBytes(): number {
    return this.#scratch.bytes;
  }

  /** Bytes currently allocated (packed handles included). */
  get allocatedBytes(): number {
    return this.allocator.allocatedBytes;
  }

  /** Zeroes `bytes` at `ptr` (in wasm: far faster than TypedArray.fill on a shared memory). */
  zero(ptr: number, bytes: number): void {
    this.exports.zero(ptr, bytes);
  }

  /** A typed view of `length` elements at `ptr`. Re-take views after allocating: memory may have grown. */
  view<T>(ctor: TypedArrayCtor<T>, ptr: number, length: number): T {
    return new ctor(this.memory.buffer, ptr, length);
  }

  /** Copies `data` into memory at `ptr`. */
  write(ptr: number, data: ArrayBufferView): void {
    new Uint8Array(this.memory.buffer, ptr, data.byteLength).set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  }

  /** Allocates and fills a copy of `data`; returns its pointer. */
  upload(data: ArrayBufferView): number {
    const ptr = this.alloc(data.byteLength);
    this.write(ptr, data);
    return ptr;
  }

  /**
   * Packs int8 OIHW weights for geometry `g` (already validated by the op's meta function)
   * and allocates the per-geometry buffers. Do this once per weight tensor, not per call.
   */
  packQuantConv2dWeights(g: QuantConv2dGeometry, weight: Int8Array): PackedQuantConv2d {
    this.checkAlive();
    const k = g.cin * g.kh * g.kw;
    if (weight.length !== g.cout * k) {
      throw new RangeError(`packQuantConv2dWeights: expected ${g.cout * k} int8 weights, got ${weight.length}`);
    }
    const layout = layoutQuantConv2d(g, this.numThreads);
    const f = layout.fields;
    const blocks: number[] = [];
    const get = (bytes: number) => {
      const p = this.alloc(bytes);
      blocks.push(p);
      return p;
    };
    const plan = get(PLAN_FIELDS * 4);
    f[P.SEGOFF] = get(layout.segOffsets.byteLength);
    f[P.WPACK] = get(layout.wpackBytes);
    f[P.PAD] = get(layout.padBytes + 64); // + slack: 16-byte loads may run past a row's end
    f[P.SCRATCH_STRIDE] = layout.scratchStride;
    f[P.BIASV] = get(layout.channelSlots * 4);
    f[P.SCALEV] = get(layout.channelSlots * 4);
    f[P.TMP] = get(64 * this.numThreads);
    const src = this.alloc(weight.length);
    this.write(f[P.SEGOFF]!, layout.segOffsets);
    this.write(plan, f);
    this.write(src, weight);
    // The pad buffer's slack is read (never used) past valid data: make it defined.
    this.zero(f[P.PAD]!, layout.padBytes + 64);
    this.exports.packWeights(plan, src);
    this.free(src);
    const bytes = blocks.reduce((s, p) => s + this.allocator.sizeOf(p), 0);
    const scratchBytes = layout.scratchStride * this.numThreads;
    if (scratchBytes) this.#scratch.users++;
    const handle: PackedInternal = {
      geometry: { ...g }, bytes, plan, blocks, macs: layout.macs, scratchBytes, splitFor: this.numThreads, disposed: false,
    };
    return handle;
  }

  /** Frees a packed handle's memory. */
  freePacked(packed: PackedQuantConv2d): void {
    const h = packed as PackedInternal;
    if (h.disposed) return;
    h.disposed = true;
    for (const p of h.blocks) this.free(p);
    if (h.scratchBytes && --this.#scratch.users === 0 && this.#scratch.block) {
      this.free(this.#scratch.block);
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
      if (sc.block) this.free(sc.block);
      sc.block = this.alloc(SCRATCH_GUARD + bytes + SCRATCH_GUARD);
      sc.ptr = sc.block + SCRATCH_GUARD;
      sc.bytes = bytes;
    }
    return sc.ptr;
  }

  /**
   * QuantConv2d per spec section 3, synchronous. inputPtr: int8 NCHW; biasPtr: int32[cout]
   * or 0 for none; scalePtr: float32[cout], the decoded multipliers (decodeQuantScales);
   * outPtr: uint16[n*cout*hOut*wOut] receiving float16 bits, NCHW. `g` must equal the
   * geometry the weights were packed for.
   */
  quantConv2d(
    g: QuantConv2dGeometry, inputPtr: number, packed: PackedQuantConv2d, biasPtr: number, scalePtr: number, outPtr: number,
  ): void {
    const h = packed as PackedInternal;
    if (h.disposed) throw new Error("quantConv2d: the packed weights were freed");
    if (g !== h.geometry) {
      for (const key of GEOMETRY_KEYS) {
        if (g[key] !== h.geometry[key]) {
          throw new Error(`quantConv2d: geometry ${key}=${g[key]} differs from the packed weights' ${h.geometry[key]}`);
        }
      }
    }
    const scratch = h.scratchBytes ? this.scratchFor(h.scratchBytes) : 0; // may grow the memory
    if (this.buffer !== this.memory.buffer) {
      this.buffer = this.memory.buffer;
      this.i32 = new Int32Array(this.buffer);
    }
    const base = h.plan >> 2;
    const i32 = this.i32;
    i32[base + P.IN] = inputPtr;
    i32[base + P.BIAS] = biasPtr;
    i32[base + P.SCALE] = scalePtr;
    i32[base + P.OUT] = outPtr;
    i32[base + P.SCRATCH] = scratch;
    const threads = h.macs >= this.minParallelMacs ? this.#threadsPerCall : 1;
    if (threads !== h.splitFor) {
      // Buffers are sized for numThreads, the most any call uses; only the split changes.
      const f = layoutQuantConv2d(h.geometry, threads).fields;
      for (const k of CHUNK_FIELDS) i32[base + k] = f[k]!;
      h.splitFor = threads;
    }
    this.exports.run(h.plan, this.ctl, threads, this.canBlock);
  }

  /**
   * n float32 at srcPtr -> float16 bits at dstPtr, with the QuantConv2d epilogue's SIMD
   * conversion (round to nearest even, overflow to inf, subnormals kept, NaN stays NaN).
   */
  float32ToFloat16(srcPtr: number, dstPtr: number, n: number): void {
    this.checkAlive();
    this.exports.convertF32ToF16(srcPtr, dstPtr, n);
  }

  /** relu of n elements at src into dst; dtype is a code of src/kernels/shared.ts. */
  relu(dtype: number, src: number, dst: number, n: number): void {
    this.exports.relu(dtype, src, dst, n);
  }

  /** neg/abs (op code) of n elements at src into dst. */
  unary(op: number, dtype: number, src: number, dst: number, n: number): void {
    this.exports.unary(op, dtype, src, dst, n);
  }

  /** clamp of n float16/float32 elements to [lo, hi] (float32 values); NaN results get nanBits. */
  clamp(dtype: number, src: number, dst: number, n: number, lo: number, hi: number, nanBits: number): void {
    this.exports.clamp(dtype, src, dst, n, lo, hi, nanBits);
  }

  /** add/sub/mul/div (op code) of n elements at a and b (b = 0: the scalar instead) into out. */
  binary(op: number, dtype: number, a: number, b: number, out: number, n: number, alpha: number, scalar: number): void {
    this.exports.binary(op, dtype, a, b, out, n, alpha, scalar);
  }

  /** max_pool2d of contiguous planes at src into dst, for geometry g. */
  maxPool2d(dtype: number, src: number, dst: number, g: Pool2dGeometry): void {
    this.exports.maxPool2d(
      dtype, src, dst, g.planes, g.h, g.w, g.kh, g.kw, g.strideH, g.strideW, g.padH, g.padW, g.dilationH, g.dilationW, g.hOut, g.wOut,
    );
  }

  /**
   * matmul of contiguous [batches, n, k] at a and [batches, k, m] at b into out; aStride /
   * bStride: elements between batches (0: one matrix for all).
   */
  matmul(dtype: number, a: number, b: number, out: number, batches: number, n: number, k: number, m: number, aStride: number, bStride: number): void {
    this.exports.matmul(dtype, a, b, out, batches, n, k, m, aStride, bStride);
  }

  /** avg_pool2d of contiguous planes at src into dst, for geometry g (dilation 1). */
  avgPool2d(dtype: number, src: number, dst: number, g: Pool2dGeometry, countIncludePad: boolean, divisorOverride: number | null): void {
    this.exports.avgPool2d(
      dtype, src, dst, g.planes, g.h, g.w, g.kh, g.kw, g.strideH, g.strideW, g.padH, g.padW, g.hOut, g.wOut, countIncludePad ? 1 : 0, divisorOverride ?? 0,
    );
  }

  /**
   * sum/mean/amax/amin/argmax (op code of assembly/ops/reduce.ts) of `groups` contiguous runs
   * of `size` elements at src into dst (int64 indices for argmax).
   */
  reduce(op: number, dtype: number, src: number, dst: number, groups: number, size: number): void {
    this.exports.reduce(op, dtype, src, dst, groups, size);
  }

  /** Stops the workers. The runtime cannot be used afterwards. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.workers.length) {
      Atomics.store(this.view(Int32Array, this.ctl + CTL_QUIT, 1), 0, 1);
      this.exports.wakeAll(this.ctl);
      for (const w of this.workers) w.terminate();
      this.workers.length = 0;
    }
  }

  private checkAlive(): void {
    if (this.disposed) throw new Error("@tsnpu/backend-wasm: the runtime was disposed");
  }
}

/** Rejects option values the runtime cannot honour, naming the option. */
function checkOptions(o: WasmRuntimeOptions): void {
  const check = (name: keyof WasmRuntimeOptions, ok: (v: number) => boolean, expected: string) => {
    const v = o[name];
    if (v !== undefined && (typeof v !== "number" || !ok(v))) {
      throw new ArgumentError("wasm.ready", name, expected, typeof v === "number" ? String(v) : typeof v);
    }
  };
  check("numThreads", (v) => Number.isInteger(v) && v >= 1, "an integer >= 1");
  check("maxMemoryBytes", (v) => v >= 65536 && v <= 2 ** 32, "a byte count in [65536, 2^32]");
  check("minParallelMacs", (v) => v >= 0, "a number >= 0");
  check("spinMs", (v) => v >= 0 && v <= 1000, "milliseconds in [0, 1000]");
}
