// Running a call, on one thread or many. The main thread and every worker instance share one
// WebAssembly.Memory; a control block in it (CTL, laid out below, allocated by the JS side)
// carries a generation counter that workers wait on. A call has two phases (padding copy,
// then the convolution), each cut into chunks that participants claim atomically, so a
// thread that is late or descheduled simply does fewer chunks. Every output element is computed by the same code from the same
// inputs whichever thread claims it, so results do not depend on the thread count.
//
// Workers spin briefly between calls, then sleep in wait32. The calling thread never waits
// for a worker to show up: it takes chunks itself and only waits for chunks already claimed.

import {
  pf, pp, P_MODE, P_COUT, P_BIAS, P_SCALE, P_BIASV, P_SCALEV, P_NCB, P_PREP_CHUNKS,
  P_WORK_CHUNKS, MODE_PLANE, MODE_WINOGRAD,
} from "./plan";
import { prepRowNHWC, prepRowPlane } from "./prep";
import { gemmChunk } from "./gemm";
import { planeChunk } from "./plane";
import { winogradChunk } from "./winograd";

// Control block offsets (bytes); hot words sit on separate 64-byte lines.
const C_GEN: usize = 0; // i32: call generation; idle workers wait on it
const C_PLAN: usize = 64; // u32: plan of the current generation
const C_QUIT: usize = 72;
const C_SPIN: usize = 76; // i32: idle polls before a worker sleeps
const C_SLEEPERS: usize = 80; // i32: workers inside wait32
const C_CLAIM: usize = 128; // i64: (generation << 32) | next unclaimed chunk
const C_COMPLETED: usize = 192; // i32: chunks (rows and work) finished in this generation
const C_MAINWAIT: usize = 256; // i32: 1 while the calling thread sleeps on C_COMPLETED
const C_P1DONE: usize = 320; // i32: phase-1 rows finished in this generation

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
  if (pf(plan, P_MODE) == MODE_PLANE) prepRowPlane(plan, r);
  else prepRowNHWC(plan, r);
}

// @ts-ignore: decorator
@inline function workChunk(plan: usize, c: i32, tid: i32): void {
  const mode = pf(plan, P_MODE);
  if (mode == MODE_PLANE) planeChunk(plan, c, tid);
  else if (mode == MODE_WINOGRAD) winogradChunk(plan, c, tid);
  else gemmChunk(plan, c, tid);
}

/**
 * Claims the next work chunk of generation `gen`, or returns -1. The claim word carries the
 * generation, so a worker that wakes late (the call it was woken for is already over) can
 * never take a chunk of a later call by mistake.
 */
function claim(ctl: usize, gen: i32, total: i32): i32 {
  for (;;) {
    const w = atomic.load<i64>(ctl + C_CLAIM);
    if (<i32>(w >>> 32) != gen) return -1;
    const next = <i32>(w & 0xffffffff);
    if (next >= total) return -1;
    if (atomic.cmpxchg<i64>(ctl + C_CLAIM, w, w + 1) == w) return next;
  }
  return -1; // not reached
}

/**
 * Claims and runs chunks until none are left. Chunk ids [0, p1) are phase-1 rows (padding copy),
 * [p1, p1 + p2) phase-2 work chunks. Claims are handed out in order, so whoever claims the
 * first phase-2 chunk knows every row is claimed and only waits for rows still in progress.
 */
function participate(ctl: usize, plan: usize, gen: i32, tid: i32): void {
  const p1 = pf(plan, P_PREP_CHUNKS);
  const total = p1 + pf(plan, P_WORK_CHUNKS);
  let prepSeen = false;
  for (;;) {
    const c = claim(ctl, gen, total);
    if (c < 0) return;
    if (c < p1) {
      prepChunk(plan, c);
      atomic.add<i32>(ctl + C_P1DONE, 1);
    } else {
      if (!prepSeen) {
        while (atomic.load<i32>(ctl + C_P1DONE) < p1) {}
        prepSeen = true;
      }
      workChunk(plan, c - p1, tid);
    }
    const done = atomic.add<i32>(ctl + C_COMPLETED, 1) + 1;
    if (done == total && atomic.load<i32>(ctl + C_MAINWAIT)) atomic.notify(ctl + C_COMPLETED, 1);
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
  loadChannelParams(plan);
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
  atomic.store<u32>(ctl + C_PLAN, <u32>plan);
  atomic.store<i32>(ctl + C_GEN, gen);
  if (atomic.load<i32>(ctl + C_SLEEPERS) > 0) atomic.notify(ctl + C_GEN, nthreads - 1);
  participate(ctl, plan, gen, 0);
  // Wait for chunks that workers still hold: spin briefly, then (where allowed) sleep.
  let spins = 20000;
  for (;;) {
    const done = atomic.load<i32>(ctl + C_COMPLETED);
    if (done >= total) break;
    if (spins > 0 || !canBlock) {
      spins--;
      continue;
    }
    atomic.store<i32>(ctl + C_MAINWAIT, 1);
    if (atomic.load<i32>(ctl + C_COMPLETED) == done) memory.atomic.wait32(ctl + C_COMPLETED, done, 1000000);
    atomic.store<i32>(ctl + C_MAINWAIT, 0);
  }
  // Close the generation. Without this, a worker that read this plan's chunk count before the
  // caller freed or reused the plan could still claim "chunk p2" with a stale count between
  // calls. A closed word fails every claim: no count exceeds 0x7fffffff.
  atomic.store<i64>(ctl + C_CLAIM, (<i64>gen << 32) | 0x7fffffff);
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
    let spins = atomic.load<i32>(ctl + C_SPIN);
    while (g == seen) {
      if (spins > 0) {
        spins--;
      } else {
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
