// Element-wise kernels on the worker threads: each call writes the runtime's element-wise plan
// (E_* words, src/abi.ts) and runs it on the pool (assembly/ops/eltwise.ts), cut into chunks of
// the same single-thread loops, so the bits do not depend on the thread count. Calls of fewer
// than PARALLEL_ITEMS elements stay on the calling thread (waking a worker costs more).

import type { Pool2dGeometry } from "@tsnpu/tensor";
import {
  E_ALPHA,
  E_CHUNK,
  E_DIV,
  E_DST,
  E_DTYPE,
  E_GEOM,
  E_HI,
  E_ITEMS,
  E_KIND,
  E_LO,
  E_OP,
  E_PARAMS,
  E_RELU,
  E_SCALAR,
  E_SRC,
  E_SRC2,
  ELT_BINARY,
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

/** Writes the plan's common words and `words` (E_* index -> value) and runs it. */
function runPlan(
  kind: number,
  items: number,
  chunk: number,
  elements: number,
  words: Readonly<Record<number, number>>,
  doubles: Readonly<Record<number, number>> = {},
): void {
  const rt = currentRuntime();
  const plan = rt.elementwisePlan;
  const w = rt.view(Int32Array, plan, ELT_PLAN_FIELDS);
  w[P_MODE] = MODE_ELTWISE;
  w[P_PREP_CHUNKS] = 0;
  w[P_WORK_CHUNKS] = Math.ceil(items / chunk);
  w[E_KIND] = kind;
  w[E_ITEMS] = items;
  w[E_CHUNK] = chunk;
  for (const k in words) w[k as unknown as number] = words[k]!;
  for (const k in doubles) rt.view(Float64Array, plan + Number(k) * 4, 1)[0] = doubles[k]!;
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
  runPlan(
    ELT_BINARY,
    n,
    CHUNK,
    n,
    { [E_OP]: op, [E_DTYPE]: dtype, [E_SRC]: a, [E_SRC2]: b, [E_DST]: out, [E_RELU]: relu ? 1 : 0 },
    { [E_ALPHA]: alpha, [E_SCALAR]: scalar },
  );
}

/** relu of n elements on the pool. */
export function poolRelu(dtype: number, src: number, dst: number, n: number): void {
  runPlan(ELT_RELU, n, CHUNK, n, { [E_DTYPE]: dtype, [E_SRC]: src, [E_DST]: dst });
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
  runPlan(ELT_QUANTIZE, n, CHUNK, n, {
    [E_DTYPE]: inDtype,
    [E_SRC]: src,
    [E_OP]: outDtype,
    [E_DST]: dst,
    [E_PARAMS]: params,
    [E_DIV]: divMode ? 1 : 0,
    [E_LO]: lo,
    [E_HI]: hi,
  });
}

/** A float32 <-> float16 cast (ELT_CAST_*) of n contiguous elements on the pool. */
export function poolCast(kind: number, src: number, dst: number, n: number): void {
  runPlan(kind, n, CHUNK, n, { [E_SRC]: src, [E_DST]: dst });
}

/** max_pool2d of contiguous planes on the pool, in chunks of output rows. */
export function poolMaxPool2d(dtype: number, src: number, dst: number, g: Pool2dGeometry): void {
  const rows = g.planes * g.hOut;
  const geometry = [g.planes, g.h, g.w, g.kh, g.kw, g.strideH, g.strideW, g.padH, g.padW]
    .concat([g.dilationH, g.dilationW, g.hOut, g.wOut])
    .map((v, i) => [E_GEOM + i, v]);
  runPlan(ELT_MAX_POOL, rows, Math.max(1, Math.floor(CHUNK / Math.max(1, g.wOut))), rows * g.wOut, {
    [E_DTYPE]: dtype,
    [E_SRC]: src,
    [E_DST]: dst,
    ...Object.fromEntries(geometry),
  });
}
