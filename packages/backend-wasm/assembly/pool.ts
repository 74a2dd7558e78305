// Running a call, on one thread or many. The main thread and every worker instance share one
// WebAssembly.Memory; a control block in it (words at src/abi.ts's C_* offsets, allocated by
// the JS side) carries a generation counter that workers wait on. A call has two phases (padding copy,
// then the convolution), each cut into chunks that participants claim atomically, so a
// thread that is late or descheduled simply does fewer chunks. Every output element is
// computed by the same code from the same inputs whichever thread claims it, so results do
// not depend on the thread count.
//
// Phase-2 chunks are split into one contiguous range per thread. A thread works through its
// own range first and only then takes what is left in the others'. With equal speeds every
// call gives each thread the same output rows (or planes: see winograd.ts's chunk order),
// which then stay in that core's cache instead of moving between cores; a thread that falls
// behind still gets helped. Measured on 2 threads against one shared counter: shape A 4-5%
// faster, shape C 2-3%.
//
// Workers poll for a while after each call (C_SPIN_US, by the clock), then sleep in wait32.
// The spin is timed, not counted: waking a sleeping worker costs anything from tens of µs to
// more than a whole call on a busy virtual machine (measured: with a count-based spin that was
// shorter than the gap between back-to-back calls, whole batches of 2-thread calls ran at
// 1-thread speed). The calling thread never waits for a worker to show up: it takes chunks
// itself and only waits for chunks already claimed.

import { pf, pp } from "./plan";
import {
  P_MODE, P_COUT, P_BIAS, P_SCALE, P_BIASV, P_SCALEV, P_NCB, P_PREP_CHUNKS, P_WORK_CHUNKS,
  MODE_PLANE, MODE_STEM, MODE_WINOGRAD, MODE_FLOAT_CONV, MODE_ELTWISE, MODE_POINTWISE, C_GEN, C_PLAN, C_QUIT, C_SPIN_US, C_SLEEPERS,
  C_CLAIM, C_NTHREADS,
  C_COMPLETED, C_MAINWAIT, C_P1DONE, C_RANGES,
} from "../src/abi";
import { prepRowNHWC, prepRowPlane } from "./prep";
import { gemmChunk } from "./gemm";
import { planeChunk } from "./plane";
import { prepStemRows, stemChunk } from "./stem";
import { winogradChunk } from "./winograd";
import { pointwiseChunk } from "./pointwise";
import { floatConvChunk } from "./conv-float";
import { eltwiseChunk } from "./ops/eltwise";

/** Milliseconds from a monotonic clock (performance.now), imported by every instance. */
// @ts-ignore: decorator
@external("env", "now") declare function now(): f64;

/** The clock time at which a thread that starts polling now should go to sleep instead. */
// @ts-ignore: decorator
@inline function spinDeadline(ctl: usize): f64 {
  return now() + <f64>atomic.load<i32>(ctl + C_SPIN_US) * 1e-3;
}

/** Bytes of the control block for `threads` threads (the JS side allocates it). */
export function controlBytes(threads: i32): i32 {
  return <i32>C_RANGES + (threads << 6);
}

/** Copies bias (or zeros) and the scales, masked to their 19 bits, into the padded arrays. */
function loadChannelParams(plan: usize): void {
  const cout = pf(plan, P_COUT), padded = pf(plan, P_NCB) << 4;
  const bias = pp(plan, P_BIAS), scale = pp(plan, P_SCALE);
  const bv = pp(plan, P_BIASV), sv = pp(plan, P_SCALEV);
  for (let o = 0; o < padded; o++) {
    const off = <usize>o << 2;
    store<i32>(bv + off, o < cout && bias != 0 ? load<i32>(bias + off) : 0);
    // Spec section 3 step 4; idempotent when the caller already decoded the scale word.
    store<u32>(sv + off, o < cout ? load<u32>(scale + off) & 0xffffe000 : 0);
  }
}

// @ts-ignore: decorator
@inline function prepChunk(plan: usize, r: i32): void {
  const mode = pf(plan, P_MODE);
  if (mode == MODE_PLANE) prepRowPlane(plan, r);
  else if (mode == MODE_STEM) prepStemRows(plan, r);
  else prepRowNHWC(plan, r);
}

// @ts-ignore: decorator
@inline function workChunk(plan: usize, c: i32, tid: i32): void {
  const mode = pf(plan, P_MODE);
  if (mode == MODE_PLANE) planeChunk(plan, c, tid);
  else if (mode == MODE_WINOGRAD) winogradChunk(plan, c, tid);
  else if (mode == MODE_POINTWISE) pointwiseChunk(plan, c, tid);
  else if (mode == MODE_STEM) stemChunk(plan, c, tid);
  else if (mode == MODE_FLOAT_CONV) floatConvChunk(plan, c, tid);
  else if (mode == MODE_ELTWISE) eltwiseChunk(plan, c);
  else gemmChunk(plan, c, tid);
}

/**
 * Claims the next index below `end` from the claim word at `word`, or returns -1. The word
 * carries the generation, so a worker that wakes late (the call it was woken for is already
 * over) can never take a chunk of a later call by mistake.
 */
function claimFrom(word: usize, gen: i32, end: i32): i32 {
  for (;;) {
    const w = atomic.load<i64>(word);
    if (<i32>(w >>> 32) != gen) return -1;
    const next = <i32>(w & 0xffffffff);
    if (next >= end) return -1;
    if (atomic.cmpxchg<i64>(word, w, w + 1) == w) return next;
  }
  return -1; // not reached
}

/** First phase-2 chunk of thread t's range (t == threads: the end). */
// @ts-ignore: decorator
@inline function rangeStart(t: i32, threads: i32, chunks: i32): i32 {
  return <i32>((<i64>t * <i64>chunks) / <i64>threads);
}

// @ts-ignore: decorator
@inline function finishChunk(ctl: usize, total: i32): void {
  const done = atomic.add<i32>(ctl + C_COMPLETED, 1) + 1;
  if (done == total && atomic.load<i32>(ctl + C_MAINWAIT)) atomic.notify(ctl + C_COMPLETED, 1);
}

/**
 * Claims and runs chunks until none are left: phase-1 rows from the shared counter, then
 * phase-2 chunks from this thread's range, then from the other ranges. A thread reaches
 * phase 2 only once every row is claimed; it waits for rows still in progress only after a
 * successful phase-2 claim, which also proves the call is still the current one.
 */
function participate(ctl: usize, plan: usize, gen: i32, tid: i32): void {
  const p1 = pf(plan, P_PREP_CHUNKS), p2 = pf(plan, P_WORK_CHUNKS);
  const total = p1 + p2;
  for (;;) {
    const r = claimFrom(ctl + C_CLAIM, gen, p1);
    if (r < 0) break;
    prepChunk(plan, r);
    atomic.add<i32>(ctl + C_P1DONE, 1);
    finishChunk(ctl, total);
  }
  const threads = atomic.load<i32>(ctl + C_NTHREADS);
  let prepSeen = p1 == 0;
  for (let k = 0; k < threads; k++) {
    const t = (tid + k) % threads; // own range first
    const word = ctl + C_RANGES + (<usize>t << 6);
    const end = rangeStart(t + 1, threads, p2);
    for (;;) {
      const c = claimFrom(word, gen, end);
      if (c < 0) break;
      if (!prepSeen) {
        while (atomic.load<i32>(ctl + C_P1DONE) < p1) {}
        prepSeen = true;
      }
      workChunk(plan, c, tid);
      finishChunk(ctl, total);
    }
  }
}

/**
 * Runs one QuantConv2d described by `plan` (per-call pointers already stored in it).
 * nthreads <= 1: both phases on the calling thread, workers untouched. Otherwise a new
 * generation is published and the calling thread works alongside the workers. canBlock:
 * the calling thread may sleep in wait32 (Node's main thread may, a browser's may not; there
 * it spins).
 */
export function run(plan: usize, ctl: usize, nthreads: i32, canBlock: i32): void {
  const mode = pf(plan, P_MODE);
  if (mode != MODE_FLOAT_CONV && mode != MODE_ELTWISE) loadChannelParams(plan);
  const p1 = pf(plan, P_PREP_CHUNKS), p2 = pf(plan, P_WORK_CHUNKS);
  if (nthreads <= 1) {
    for (let r = 0; r < p1; r++) prepChunk(plan, r);
    for (let c = 0; c < p2; c++) workChunk(plan, c, 0);
    return;
  }
  const total = p1 + p2;
  const gen = atomic.load<i32>(ctl + C_GEN) + 1;
  atomic.store<i32>(ctl + C_P1DONE, 0);
  atomic.store<i32>(ctl + C_COMPLETED, 0);
  atomic.store<i64>(ctl + C_CLAIM, (<i64>gen << 32));
  for (let t = 0; t < nthreads; t++) {
    atomic.store<i64>(ctl + C_RANGES + (<usize>t << 6), (<i64>gen << 32) | <i64>rangeStart(t, nthreads, p2));
  }
  atomic.store<i32>(ctl + C_NTHREADS, nthreads);
  atomic.store<u32>(ctl + C_PLAN, <u32>plan);
  atomic.store<i32>(ctl + C_GEN, gen);
  if (atomic.load<i32>(ctl + C_SLEEPERS) > 0) atomic.notify(ctl + C_GEN, nthreads - 1);
  participate(ctl, plan, gen, 0);
  // Wait for chunks that workers still hold: poll (the clock every 1024 polls), then, where
  // allowed, sleep.
  const deadline = spinDeadline(ctl);
  let polls = 0;
  for (;;) {
    const done = atomic.load<i32>(ctl + C_COMPLETED);
    if (done >= total) break;
    if (!canBlock || (++polls & 1023) != 0 || now() < deadline) continue;
    atomic.store<i32>(ctl + C_MAINWAIT, 1);
    if (atomic.load<i32>(ctl + C_COMPLETED) == done) memory.atomic.wait32(ctl + C_COMPLETED, done, 1000000);
    atomic.store<i32>(ctl + C_MAINWAIT, 0);
  }
  // Close the generation. Without this, a worker that read this plan's chunk counts before the
  // caller freed or reused the plan could still claim with stale counts between calls. A
  // closed word fails every claim: no count exceeds 0x7fffffff.
  const closed = (<i64>gen << 32) | 0x7fffffff;
  atomic.store<i64>(ctl + C_CLAIM, closed);
  for (let t = 0; t < nthreads; t++) atomic.store<i64>(ctl + C_RANGES + (<usize>t << 6), closed);
}

/**
 * A worker's whole life: wait for a new generation, help with it, repeat; until C_QUIT.
 * `startGen` is the generation when the worker was created (not read here: the main thread
 * may already have started a call between the worker's "ready" and this point).
 */
export function workerLoop(ctl: usize, tid: i32, startGen: i32): void {
  let seen = startGen;
  for (;;) {
    let g = atomic.load<i32>(ctl + C_GEN);
    const deadline = spinDeadline(ctl);
    let polls = 0;
    while (g == seen) {
      if ((++polls & 1023) == 0 && now() >= deadline) {
        atomic.add<i32>(ctl + C_SLEEPERS, 1);
        memory.atomic.wait32(ctl + C_GEN, seen, -1);
        atomic.sub<i32>(ctl + C_SLEEPERS, 1);
      }
      g = atomic.load<i32>(ctl + C_GEN);
    }
    seen = g;
    if (atomic.load<i32>(ctl + C_QUIT)) return;
    participate(ctl, <usize>atomic.load<u32>(ctl + C_PLAN), g, tid);
  }
}

/** Wakes every worker after the JS side set C_QUIT. */
export function wakeAll(ctl: usize): void {
  atomic.add<i32>(ctl + C_GEN, 1);
  atomic.notify(ctl + C_GEN, -1);
}
