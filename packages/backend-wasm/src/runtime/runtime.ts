// WasmRuntime: one kernel module instance on one linear memory (shared with worker threads
// when there are any), an allocator for that memory, and its lifecycle (start-up, threads per
// call, dispose). QuantConv2d handles live in packed-conv.ts, the other kernels' calls in
// kernel-calls.ts (the base class), the module's exports and their ABI check in exports.ts.
//
//   const rt = await WasmRuntime.create({ numThreads: 2 });   // async, once
//   const packed = rt.packQuantConv2dWeights(g, weightInt8);   // once per weight tensor
//   const x = rt.alloc(bytes); rt.write(x, input); ...
//   rt.quantConv2d(g, x, packed, biasPtr, scalePtr, outPtr);   // synchronous, every call
//
// Pointers are byte offsets into `rt.memory`.

import {
  ArgumentError,
  DisposedError,
  describe,
  type Conv2dGeometry,
  type QuantConv2dGeometry,
} from "@tsnpu/tensor";
import { C_QUIT, C_SPIN_US, ELT_PLAN_FIELDS } from "../abi.js";
import { Allocator } from "./allocator.js";
import { kernelExports, type KernelExports } from "./exports.js";
import { KernelCalls } from "./kernel-calls.js";
import {
  compileWasm,
  defaultWasmUrl,
  hardwareConcurrency,
  isNode,
  startWorker,
  threadsUnavailableReason,
  warnSingleThread,
  type WorkerHandle,
} from "./loader.js";
import { PackedConvolutions, type PackedQuantConv2d } from "./packed-conv.js";
import { usesPointwise, usesStem } from "./plan.js";
import { FloatConvolutions, type FloatConvPointers } from "./float-conv.js";
import type { WasmMemory, WasmSource } from "./wasm-types.js";
import { WORKER_SOURCE } from "./worker-source.js";

export type { WasmSource } from "./wasm-types.js";
export type { PackedQuantConv2d } from "./packed-conv.js";

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

/** wasm.memory(): where the runtime's linear memory goes. */
export interface WasmMemoryReport {
  /** Size of the linear memory (it grows, never shrinks). */
  readonly heapBytes: number;
  /** Bytes handed out by the allocator (tensors, packed weights, scratch, control block). */
  readonly allocatedBytes: number;
  /** Tensor storages not yet disposed (nor garbage-collected). */
  readonly liveTensors: number;
  readonly liveTensorBytes: number;
  /** Packed QuantConv2d weight handles (eager caches and compiled graphs) not yet freed. */
  readonly packedWeights: number;
  readonly packedWeightBytes: number;
  /** The scratch packed convolutions share. */
  readonly scratchBytes: number;
}

type TypedArrayCtor<T> = {
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): T;
  BYTES_PER_ELEMENT: number;
};

export class WasmRuntime extends KernelCalls {
  /** Threads started (the calling thread included): the most a call can use. */
  readonly numThreads: number;
  /** Why numThreads is 1 although more were wanted, or null. */
  readonly singleThreadReason: string | null;
  readonly memory: WasmMemory;
  private readonly allocator: Allocator;
  private readonly workers: WorkerHandle[] = [];
  private readonly ctl: number;
  private readonly conv: PackedConvolutions;
  private disposed = false;
  #threadsPerCall: number;
  readonly #canBlock: number;
  readonly #minParallelMacs: number;
  readonly #eltwisePlan: number;
  private readonly floatConv: FloatConvolutions;
  /** Tensor storages: pointer -> bytes. */
  readonly #storages = new Map<number, number>();

  private constructor(init: {
    numThreads: number;
    reason: string | null;
    memory: WebAssembly.Memory;
    exports: KernelExports;
    allocator: Allocator;
    ctl: number;
    minParallelMacs: number;
  }) {
    super(init.exports);
    this.numThreads = init.numThreads;
    this.singleThreadReason = init.reason;
    this.memory = init.memory;
    this.allocator = init.allocator;
    this.ctl = init.ctl;
    this.#threadsPerCall = init.numThreads;
    this.#canBlock =
      isNode || typeof (globalThis as { document?: unknown }).document === "undefined" ? 1 : 0;
    this.#minParallelMacs = init.minParallelMacs;
    this.#eltwisePlan = init.allocator.alloc(ELT_PLAN_FIELDS * 4);
    const convContext = {
      memory: init.memory,
      allocator: init.allocator,
      exports: init.exports,
      ctl: init.ctl,
      canBlock: this.#canBlock,
      numThreads: init.numThreads,
      minParallelMacs: this.#minParallelMacs,
    };
    this.conv = new PackedConvolutions(convContext);
    this.floatConv = new FloatConvolutions(convContext);
  }

  /** Compiles and instantiates the kernels and starts the workers. The only async step. */
  static async create(options: WasmRuntimeOptions = {}): Promise<WasmRuntime> {
    checkRuntimeOptions(options);
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
      threaded
        ? (options.wasm ?? defaultWasmUrl(true))
        : (options.wasmSingleThread ?? defaultWasmUrl(false)),
    );
    const maxBytes = Math.min(options.maxMemoryBytes ?? 2 ** 30, 2 ** 32);
    const maximum = Math.ceil(maxBytes / 65536);
    const memory = new WebAssembly.Memory(
      threaded ? { initial: 256, maximum, shared: true } : { initial: 256, maximum },
    );
    const instance = await WebAssembly.instantiate(module, {
      env: { memory, now: () => performance.now() },
    });
    const exports = kernelExports(instance.exports);
    const allocator = new Allocator(memory, exports.heapBase(), maximum * 65536);
    const ctlBytes = exports.controlBytes(numThreads);
    const ctl = allocator.alloc(ctlBytes);
    exports.fill(ctl, 0, ctlBytes);
    const rt = new WasmRuntime({
      numThreads,
      reason,
      memory,
      exports,
      allocator,
      ctl,
      minParallelMacs: options.minParallelMacs ?? 2 ** 19,
    });
    rt.view(Int32Array, ctl + C_SPIN_US, 1)[0] = Math.round((options.spinMs ?? 10) * 1000);
    if (threaded) {
      try {
        for (let tid = 1; tid < numThreads; tid++) {
          // Generation 0: no call can start before every worker is ready.
          rt.workers.push(
            await startWorker(WORKER_SOURCE, { module, memory, ctl, tid, startGen: 0 }),
          );
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
      throw new ArgumentError(
        "wasm.setNumThreads",
        "n",
        `an integer in [1, ${this.numThreads}] (the threads this runtime started)`,
        describe(n),
      );
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

  /** alloc() for a tensor's storage: counted in memoryReport().liveTensors. */
  allocStorage(bytes: number): number {
    this.checkAlive();
    const ptr = this.alloc(bytes);
    this.#storages.set(ptr, bytes);
    return ptr;
  }

  /** Frees a tensor's storage (allocStorage). */
  freeStorage(ptr: number): void {
    if (!this.#storages.delete(ptr)) return; // already freed (dispose and the GC's safety net may both come)
    this.free(ptr);
  }

  /** True after dispose() (wasm.shutdown()): its tensors' memory is gone. */
  get isDisposed(): boolean {
    return this.disposed;
  }

  memoryReport(): WasmMemoryReport {
    let liveTensorBytes = 0;
    for (const b of this.#storages.values()) liveTensorBytes += b;
    return {
      heapBytes: this.memory.buffer.byteLength,
      allocatedBytes: this.allocatedBytes,
      liveTensors: this.#storages.size,
      liveTensorBytes,
      packedWeights: this.conv.liveHandles,
      packedWeightBytes: this.conv.liveBytes,
      scratchBytes: this.scratchBytes,
    };
  }

  /** Bytes of the scratch that packed convolutions share (the largest need of those called; 0: none). */
  get scratchBytes(): number {
    return this.conv.scratchBytes;
  }

  /** Bytes currently allocated (packed handles included). */
  get allocatedBytes(): number {
    return this.allocator.allocatedBytes;
  }

  /** Zeroes `bytes` at `ptr` (in wasm: far faster than TypedArray.fill on a shared memory). */
  zero(ptr: number, bytes: number): void {
    this.exports.fill(ptr, 0, bytes);
  }

  /** Sets `bytes` at `ptr` to `byte` (0..255), in wasm like zero. */
  fill(ptr: number, byte: number, bytes: number): void {
    this.exports.fill(ptr, byte, bytes);
  }

  /** A typed view of `length` elements at `ptr`. Re-take views after allocating: memory may have grown. */
  view<T>(ctor: TypedArrayCtor<T>, ptr: number, length: number): T {
    return new ctor(this.memory.buffer, ptr, length);
  }

  /** Copies `data` into memory at `ptr`. */
  write(ptr: number, data: ArrayBufferView): void {
    new Uint8Array(this.memory.buffer, ptr, data.byteLength).set(
      new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    );
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
    return this.conv.pack(g, weight);
  }

  /** Frees a packed handle's memory. */
  freePacked(packed: PackedQuantConv2d): void {
    this.conv.free(packed);
  }

  /**
   * QuantConv2d per spec section 3, synchronous. inputPtr: int8 NCHW; biasPtr: int32[cout]
   * or 0 for none; scalePtr: float32[cout], the decoded multipliers (decodeQuantScales);
   * outPtr: uint16[n*cout*hOut*wOut] receiving float16 bits, NCHW. `g` must equal the
   * geometry the weights were packed for. epiPtr: an epilogue block (E_* of src/abi.ts: what a
   * fused graph step applies before storing, then outPtr's dtype follows it), only for handles
   * whose geometry `takesEpilogue`; 0 for the plain float16 result.
   */
  quantConv2d(
    g: QuantConv2dGeometry,
    inputPtr: number,
    packed: PackedQuantConv2d,
    biasPtr: number,
    scalePtr: number,
    outPtr: number,
    epiPtr = 0,
  ): void {
    this.checkAlive();
    this.conv.run(g, inputPtr, packed, biasPtr, scalePtr, outPtr, this.#threadsPerCall, epiPtr);
  }

  /** True when QuantConv2d calls of geometry `g` take an epilogue block (pointwise and stem modes). */
  takesEpilogue(g: QuantConv2dGeometry): boolean {
    return usesPointwise(g) || usesStem(g);
  }

  /**
   * float conv2d (assembly/conv-float.ts): NCHW input (any non-negative strides), OIHW weights
   * and bias (0: none) of one dtype (outDtype: DTYPE_F32 or DTYPE_F16) into a contiguous output,
   * on up to threadsPerCall threads. `g` is the meta function's geometry.
   */
  floatConv2d(g: Conv2dGeometry, pointers: FloatConvPointers, outDtype: number): void {
    this.checkAlive();
    this.floatConv.run(g, pointers, outDtype, this.#threadsPerCall);
  }

  /**
   * The plan element-wise pool calls write (ELT_PLAN_FIELDS i32; see src/kernels/pool-calls.ts),
   * one for all (calls are synchronous), allocated at start-up as the control block is.
   */
  get elementwisePlan(): number {
    return this.#eltwisePlan;
  }

  /** Runs the element-wise plan (already written) on up to `threads` (at most threadsPerCall). */
  runElementwise(threads: number): void {
    this.checkAlive();
    const n = Math.min(threads, this.#threadsPerCall);
    this.exports.run(this.elementwisePlan, this.ctl, n, this.#canBlock);
  }

  /** Stops the workers. The runtime cannot be used afterwards. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.workers.length) {
      Atomics.store(this.view(Int32Array, this.ctl + C_QUIT, 1), 0, 1);
      this.exports.wakeAll(this.ctl);
      for (const w of this.workers) w.terminate();
      this.workers.length = 0;
    }
  }

  protected checkAlive(): void {
    if (this.disposed)
      throw new DisposedError(
        "@tsnpu/backend-wasm: the runtime was shut down (wasm.shutdown() or dispose()); start a new one with wasm.ready()",
      );
  }
}

/** Rejects option values the runtime cannot honour, naming the option. */
export function checkRuntimeOptions(o: WasmRuntimeOptions): void {
  const check = (name: keyof WasmRuntimeOptions, ok: (v: number) => boolean, expected: string) => {
    const v = o[name];
    if (v !== undefined && (typeof v !== "number" || !ok(v))) {
      throw new ArgumentError(
        "wasm.ready",
        name,
        expected,
        typeof v === "number" ? String(v) : typeof v,
      );
    }
  };
  check("numThreads", (v) => Number.isInteger(v) && v >= 1, "an integer >= 1");
  check("maxMemoryBytes", (v) => v >= 65536 && v <= 2 ** 32, "a byte count in [65536, 2^32]");
  check("minParallelMacs", (v) => v >= 0, "a number >= 0");
  check("spinMs", (v) => v >= 0 && v <= 1000, "milliseconds in [0, 1000]");
}
