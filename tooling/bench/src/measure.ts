// Side-by-side timing: contenders run interleaved, round after round, so a noisy neighbour
// slows every row alike; medians are reported and compared as ratios.

import type { ConvShape } from "./shapes.js";

/** A prepared run: inputs made once, `run` is what gets timed. */
export interface PreparedRun {
  run(): void;
  dispose?(): void;
}

export interface Contender {
  readonly name: string;
  prepare(shape: ConvShape): PreparedRun;
}

export interface Measurement {
  readonly shape: ConvShape;
  readonly contender: string;
  readonly medianMs: number;
  readonly runs: number;
}

export const sleep = (ms: number) => new Promise<void>((res) => setTimeout(res, ms));

export const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/**
 * For two contenders timed in alternating batches of `batch` calls (per-call samples, batch
 * after batch): a's batch median / b's batch median, round by round. Each ratio compares calls
 * made moments apart, so a noisy spell on the shared host lands on both sides of it.
 */
export function batchRatios(a: readonly number[], b: readonly number[], batch: number): number[] {
  const rounds = Math.floor(Math.min(a.length, b.length) / batch);
  return Array.from(
    { length: rounds },
    (_, r) =>
      median(a.slice(r * batch, (r + 1) * batch)) / median(b.slice(r * batch, (r + 1) * batch)),
  );
}

/** Window of untilThreadsIdle's CPU samples, and how many idle ones in a row it needs. */
const IDLE_WINDOW_MS = 5;
const IDLE_WINDOWS = 2;
/** Busy cores below which a window counts as idle (measured idle: 0.02-0.09, V8's own threads). */
const IDLE_CORES = 0.15;

/**
 * Waits at least `minMs`, then until this process's threads together used less than
 * IDLE_CORES of a core in IDLE_WINDOWS windows of IDLE_WINDOW_MS in a row (or `maxMs` in
 * all); returns the ms waited. Measured (front 128, 2 threads, warm): onnxruntime-web's
 * intra-op worker keeps spinning ~30 ms after a run on a quiet host, longer on a busy one
 * (its global thread pool: the session option session.intra_op.allow_spinning does not reach
 * it), and tsnpu's pool 10-20 ms, so a fixed pause let the next contender share its second
 * core with the previous one's spinning threads. Node only (process.cpuUsage).
 */
export async function untilThreadsIdle(minMs: number, maxMs: number): Promise<number> {
  const start = performance.now();
  await sleep(minMs);
  for (let idle = 0; idle < IDLE_WINDOWS; ) {
    const t0 = performance.now();
    const before = process.cpuUsage();
    await sleep(IDLE_WINDOW_MS);
    const used = process.cpuUsage(before);
    const t1 = performance.now();
    if (t1 - start >= maxMs) break;
    idle = (used.user + used.system) / 1000 / (t1 - t0) < IDLE_CORES ? idle + 1 : 0;
  }
  return performance.now() - start;
}

/** A call to time: synchronous, or returning a promise (then its settling is timed too). */
export type TimedCall = () => unknown;

/** Runs `fn` once, awaiting only a promise it returns. */
async function callOnce(fn: TimedCall): Promise<void> {
  const pending = fn();
  if (pending instanceof Promise) await pending;
}

/** Milliseconds per call of `fn`, from `calls` calls in a row (to size batches). */
export async function estimateCallMs(fn: TimedCall, calls = 3): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < calls; i++) await callOnce(fn);
  return (performance.now() - t0) / calls;
}

/** Calls of `estMs` each that last about `targetMs` (at least 1). */
export const callsFor = (targetMs: number, estMs: number): number =>
  Math.max(1, Math.ceil(targetMs / Math.max(estMs, 1e-3)));

export interface BatchOptions {
  /** Timed calls. */
  readonly reps: number;
  /** Untimed calls just before (after a pause, an idle core needs a few ms to come back to speed). */
  readonly warmCalls: number;
  /** Pause first (a multi-thread pool still spinning after the last batch steals a core). */
  readonly pauseMs: number;
  /** Collect garbage before the pause, so V8's GC threads do not compete with the timed calls. */
  readonly gc?: () => void;
}

/** One timed batch: pause, warm-up calls, then `reps` calls, each timed on its own (µs, pushed to `into`). */
export async function timeBatch(
  fn: TimedCall,
  { reps, warmCalls, pauseMs, gc }: BatchOptions,
  into: number[],
): Promise<void> {
  gc?.();
  await sleep(pauseMs);
  for (let i = 0; i < warmCalls; i++) await callOnce(fn);
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    const pending = fn(); // inline, not callOnce: a synchronous call's timing has no microtask in it
    if (pending instanceof Promise) await pending;
    into.push((performance.now() - t0) * 1000);
  }
}

/** Timed calls per batch of timeSideBySide. */
const SIDE_BY_SIDE_BATCH = 8;

/**
 * Times two calls in alternating batches: `rounds` rounds, each batch after a pause of
 * `pauseMs` (a multi-thread pool spins ~10 ms after a call) and 3 untimed calls that wake the
 * pool and the idle core. Returns each call's median µs and the median of the per-round ratios
 * (first / second).
 */
export async function timeSideBySide(
  calls: readonly [() => void, () => void],
  rounds: number,
  pauseMs: number,
) {
  // Warm-up, each call on its own for 300 ms: measured, fewer calls left a 2-thread runtime
  // near 1-thread speed on shape D for the whole run (V8 tiering both modules).
  for (const call of calls) {
    const until = performance.now() + 300;
    while (performance.now() < until) call();
  }
  const times: [number[], number[]] = [[], []];
  const batch = { reps: SIDE_BY_SIDE_BATCH, warmCalls: 3, pauseMs };
  for (let round = 0; round < rounds; round++) {
    for (const i of [0, 1] as const) await timeBatch(calls[i], batch, times[i]);
  }
  return {
    medians: [median(times[0]), median(times[1])] as const,
    ratio: median(batchRatios(times[0], times[1], SIDE_BY_SIDE_BATCH)),
  };
}

/**
 * Times every contender on one shape: two warm-up runs each, then rounds in which each
 * contender runs once, until `budgetMs` is spent (at least `minRounds`, at most `maxRounds`).
 */
export function measureShape(
  shape: ConvShape,
  contenders: readonly Contender[],
  { budgetMs = 4000, minRounds = 3, maxRounds = 30 } = {},
): Measurement[] {
  const prepared = contenders.map((c) => c.prepare(shape));
  for (const p of prepared) for (let i = 0; i < 2; i++) p.run();
  const times: number[][] = contenders.map(() => []);
  const start = performance.now();
  for (let round = 0; round < maxRounds; round++) {
    if (round >= minRounds && performance.now() - start > budgetMs) break;
    prepared.forEach((p, i) => {
      const t0 = performance.now();
      p.run();
      times[i]!.push(performance.now() - t0);
    });
  }
  for (const p of prepared) p.dispose?.();
  return contenders.map((c, i) => ({
    shape,
    contender: c.name,
    medianMs: median(times[i]!),
    runs: times[i]!.length,
  }));
}

/** A markdown table; columns from `numericFrom` on are right-aligned. */
export function formatTable(
  header: readonly string[],
  rows: readonly string[][],
  numericFrom: number,
): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: readonly string[]) =>
    "| " +
    r
      .map((c, i) => (i >= numericFrom ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join(" | ") +
    " |";
  const rule =
    "| " +
    widths.map((w, i) => (i >= numericFrom ? "-".repeat(w - 1) + ":" : "-".repeat(w))).join(" | ") +
    " |";
  return [line(header), rule, ...rows.map(line)].join("\n");
}
