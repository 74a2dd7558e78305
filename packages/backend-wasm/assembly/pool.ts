// Running a call, on one thread or many. The main thread and every worker instance share one
// WebAssembly.Memory; a control block in it (CTL, laid out below, allocated by the JS side)
// carries a generation counter that workers wait on. A call has two phases, each cut into
// chunks that participants claim with atomic.add, so a thread that is late or descheduled
// simply does fewer chunks. Every output element is computed by the same code from the same
// inputs whichever thread claims it, so results do not depend on the thread count.
//
// The main thread never blocks (browsers forbid it there): it works, then spins until the
// workers have checked out. Workers spin briefly between calls, then sleep in wait32.

import {
  pf, pp, P_MODE, P_N, P_COUT, P_BIAS, P_SCALE, P_BIASV, P_SCALEV, P_NCB, P_PREP_CHUNKS,
  P_WORK_CHUNKS, MODE_PLANE,
} from "./plan";
import { prepRowNHWC, prepRowPlane } from "./prep";
import { gemmChunk } from "./gemm";
import { planeChunk } from "./plane";

// Control block offsets (bytes); counters sit on separate 64-byte lines.
const C_GEN: usize = 0;
const C_PLAN: usize = 64;
const C_NWORK: usize = 68;
const C_QUIT: usize = 72;
const C_SPIN: usize = 76;
const C_SLEEPERS: usize = 80;
const C_P1NEXT: usize = 128;
const C_P1DONE: usize = 192;
const C_P2NEXT: usize = 256;
const C_DONE: usize = 320;

/** Copies bias (or zeros) and the scales, masked to their 19 bits, into the padded arrays. */
function loadChannelParams(plan: usize): void {
  const cout = pf(plan, P_COUT), padded = pf(plan, P_NCB) << 3;
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
  if (pf(plan, P_MODE) == MODE_PLANE) planeChunk(plan, c, tid);
  else gemmChunk(plan, c, tid);
}

function participate(ctl: usize, plan: usize, tid: i32): void {
  const p1 = pf(plan, P_PREP_CHUNKS);
  for (;;) {
    const r = atomic.add<i32>(ctl + C_P1NEXT, 1);
    if (r >= p1) break;
    prepChunk(plan, r);
    atomic.add<i32>(ctl + C_P1DONE, 1);
  }
  // Barrier: phase 2 reads what phase 1 wrote.
  while (atomic.load<i32>(ctl + C_P1DONE) < p1) {}
  const p2 = pf(plan, P_WORK_CHUNKS);
  for (;;) {
    const c = atomic.add<i32>(ctl + C_P2NEXT, 1);
    if (c >= p2) break;
    workChunk(plan, c, tid);
  }
}

/**
 * Runs one QuantConv2d described by `plan` (per-call pointers already stored in it).
 * nthreads <= 1: everything on the calling thread, workers untouched.
 */
export function run(plan: usize, ctl: usize, nthreads: i32): void {
  loadChannelParams(plan);
  if (nthreads <= 1) {
    const p1 = pf(plan, P_PREP_CHUNKS), p2 = pf(plan, P_WORK_CHUNKS);
    for (let r = 0; r < p1; r++) prepChunk(plan, r);
    for (let c = 0; c < p2; c++) workChunk(plan, c, 0);
    return;
  }
  const nwork = nthreads - 1;
  store<u32>(ctl + C_PLAN, <u32>plan);
  store<i32>(ctl + C_NWORK, nwork);
  atomic.store<i32>(ctl + C_P1NEXT, 0);
  atomic.store<i32>(ctl + C_P1DONE, 0);
  atomic.store<i32>(ctl + C_P2NEXT, 0);
  atomic.store<i32>(ctl + C_DONE, 0);
  atomic.add<i32>(ctl + C_GEN, 1);
  if (atomic.load<i32>(ctl + C_SLEEPERS) > 0) atomic.notify(ctl + C_GEN, nwork);
  participate(ctl, plan, 0);
  while (atomic.load<i32>(ctl + C_DONE) < nwork) {}
}

/**
 * A worker's whole life: wait for a generation, take part, check out; until C_QUIT.
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
    const plan = <usize>load<u32>(ctl + C_PLAN);
    if (tid <= load<i32>(ctl + C_NWORK)) participate(ctl, plan, tid);
    atomic.add<i32>(ctl + C_DONE, 1);
  }
}

/** Wakes every worker after the JS side set C_QUIT. */
export function wakeAll(ctl: usize): void {
  atomic.add<i32>(ctl + C_GEN, 1);
  atomic.notify(ctl + C_GEN, -1);
}
