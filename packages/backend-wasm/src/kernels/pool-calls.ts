// Element-wise kernels on the worker threads: each call writes the runtime's element-wise plan
// (E_* words, src/abi.ts) and runs it on the pool (assembly/ops/eltwise.ts), cut into chunks of
// the same single-thread loops, so the bits do not depend on the thread count. Calls of fewer
// than PARALLEL_ITEMS elements stay on the calling thread (waking a worker costs more).

import type { Pool2dGeometry } from "@tsnpu/tensor";
import {
  EW_ALPHA,
  EW_CHUNK,
  EW_DIV,
  EW_DST,
  EW_DTYPE,
  EW_GEOM,
  EW_HI,
  EW_ITEMS,
  EW_KIND,
  EW_LO,
  EW_OP,
  EW_PARAMS,
  EW_RELU,
  EW_SCALAR,
  EW_SRC,
  EW_SRC2,
  ELT_BINARY,
  ELT_COPY,
  ELT_MAX_POOL,
  ELT_PLAN_FIELDS,
  ELT_QUANTIZE,
  ELT_RELU,
  MODE_ELTWISE,
  P_MODE,
  P_PREP_CHUNKS,
  P_WORK_CHUNKS,
} from "../abi.js";
import { currentRuntime } from "../backend.js";

/** Elements per chunk: a multiple of 16 (every loop's vector width) that stays in L1/L2. [est] */
const CHUNK = 8192;
/** Elements from which a call uses the worker threads. [est] */
const PARALLEL_ITEMS = 1 << 15;

let words: Int32Array | null = null;
let doubles: Float64Array | null = null;

/**
 * The current runtime's plan as i32 words with P_MODE, P_PREP_CHUNKS, EW_KIND, EW_ITEMS, EW_CHUNK
 * and P_WORK_CHUNKS written (views re-taken when the memory grew or the runtime changed).
 */
function plan(kind: number, items: number, chunk: number): Int32Array {
  const rt = currentRuntime();
  const at = rt.elementwisePlan;
  if (words?.buffer !== rt.memory.buffer || words.byteOffset !== at) {
    words = rt.view(Int32Array, at, ELT_PLAN_FIELDS);
    doubles = rt.view(Float64Array, at, ELT_PLAN_FIELDS >> 1);
  }
  words[P_MODE] = MODE_ELTWISE;
  words[P_PREP_CHUNKS] = 0;
  words[P_WORK_CHUNKS] = Math.ceil(items / chunk);
  words[EW_KIND] = kind;
  words[EW_ITEMS] = items;
  words[EW_CHUNK] = chunk;
  return words;
}

/** Runs the plan just written: on the worker threads too when `elements` is large enough. */
function run(elements: number): void {
  const rt = currentRuntime();
  rt.runElementwise(elements >= PARALLEL_ITEMS ? rt.numThreads : 1);
}

/** binary() of src/runtime/kernel-calls.ts on the pool; `relu`: relu of the result (fused). */
export function poolBinary(
  op: number,
  dtype: number,
  a: number,
  b: number,
  out: number,
  n: number,
  alpha: number,
  scalar: number,
  relu: boolean,
): void {
  const w = plan(ELT_BINARY, n, CHUNK);
  w[EW_OP] = op;
  w[EW_DTYPE] = dtype;
  w[EW_SRC] = a;
  w[EW_SRC2] = b;
  w[EW_DST] = out;
  w[EW_RELU] = relu ? 1 : 0;
  doubles![EW_ALPHA >> 1] = alpha;
  doubles![EW_SCALAR >> 1] = scalar;
  run(n);
}

/** relu of n elements on the pool. */
export function poolRelu(dtype: number, src: number, dst: number, n: number): void {
  const w = plan(ELT_RELU, n, CHUNK);
  w[EW_DTYPE] = dtype;
  w[EW_SRC] = src;
  w[EW_DST] = dst;
  run(n);
}

/** A per-tensor npu_quantize of n elements (params: factor, zero, nan words) on the pool. */
export function poolQuantize(
  inDtype: number,
  src: number,
  outDtype: number,
  dst: number,
  n: number,
  params: number,
  divMode: boolean,
  lo: number,
  hi: number,
): void {
  const w = plan(ELT_QUANTIZE, n, CHUNK);
  w[EW_DTYPE] = inDtype;
  w[EW_SRC] = src;
  w[EW_OP] = outDtype;
  w[EW_DST] = dst;
  w[EW_PARAMS] = params;
  w[EW_DIV] = divMode ? 1 : 0;
  w[EW_LO] = lo;
  w[EW_HI] = hi;
  run(n);
}

/** A float32 <-> float16 cast (ELT_CAST_*) of n contiguous elements on the pool. */
export function poolCast(kind: number, src: number, dst: number, n: number): void {
  const w = plan(kind, n, CHUNK);
  w[EW_SRC] = src;
  w[EW_DST] = dst;
  run(n);
}

/** max_pool2d of contiguous planes on the pool, in chunks of output rows. */
export function poolMaxPool2d(dtype: number, src: number, dst: number, g: Pool2dGeometry): void {
  const rows = g.planes * g.hOut;
  const w = plan(ELT_MAX_POOL, rows, Math.max(1, Math.floor(CHUNK / Math.max(1, g.wOut))));
  w[EW_DTYPE] = dtype;
  w[EW_SRC] = src;
  w[EW_DST] = dst;
  w.set([g.planes, g.h, g.w, g.kh, g.kw, g.strideH, g.strideW, g.padH, g.padW], EW_GEOM);
  w.set([g.dilationH, g.dilationW, g.hOut, g.wOut], EW_GEOM + 9);
  run(rows * g.wOut);
}

/**
 * A strided copy of a 4-dim block (shape `n`, element strides `from` and `to`, elements of
 * `bytes` bytes) on the pool, in chunks of rows (the first three dims; rows of n[3] elements).
 */
export function poolCopy(
  bytes: number,
  src: number,
  dst: number,
  n: readonly [number, number, number, number],
  from: readonly number[],
  to: readonly number[],
): void {
  const rows = n[0] * n[1] * n[2];
  const w = plan(ELT_COPY, rows, Math.max(1, Math.floor(CHUNK / Math.max(1, n[3]))));
  w[EW_DTYPE] = bytes;
  w[EW_SRC] = src;
  w[EW_DST] = dst;
  w[EW_GEOM] = n[1];
  w[EW_GEOM + 1] = n[2];
  w[EW_GEOM + 2] = n[3];
  for (let d = 0; d < 4; d++) {
    w[EW_GEOM + 3 + d] = from[d]!;
    w[EW_GEOM + 7 + d] = to[d]!;
  }
  run(rows * n[3]);
}
