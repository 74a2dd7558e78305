// One process of the wasm QuantConv2d bench (quant-conv2d-wasm.ts): ours (a compiled
// QuantConv2d on the "wasm" device, the public API) and onnxruntime-web (onnx-conv-model.ts's
// graph) on one thread count, bit-identity checked first. Every shape is warmed up first, then
// a pause lets V8 finish tiering both modules up. The two contenders then run interleaved,
// round after round (measure.ts's timeBatch: a pause after each multi-thread run so a
// still-spinning pool of one does not steal the core of the other, and about 10 ms of untimed
// calls before each timed batch: after the pause the idle core needs a few ms to come back to
// speed; one call was not enough, it cost both contenders 10-25% on 2 threads). Every call is
// timed on its own, so a garbage collection or a moment the host takes a core away costs one
// sample, not a whole batch. A 2-thread process also times ours limited to 1 thread
// (wasm.setNumThreads) right after each 2-thread batch: the thread-scaling ratio from calls side by side.

import * as ort from "onnxruntime-web";
import * as torch from "tsnpu";
import { QuantConv2d } from "tsnpu/contrib";
import { callsFor, estimateCallMs, median, sleep, timeBatch } from "./measure.js";
import { quantConvModel } from "./onnx-conv-model.js";
import { SHAPES, outputSize, seededProblem, type ConvShape as Shape } from "./shapes.js";

/** Per-batch medians of consecutive per-call samples, for TSNPU_BENCH_DEBUG. */
const batchMedians = (calls: number[], reps: number) =>
  Array.from({ length: calls.length / reps }, (_, b) =>
    median(calls.slice(b * reps, (b + 1) * reps)).toFixed(0),
  ).join(" ");

export interface ChildRow {
  label: string;
  /** µs of every timed call, batch after batch. */
  oursUs: number[];
  /** Multi-thread processes: ours limited to 1 thread, timed between the other batches. */
  oursOneThreadUs: number[];
  /** Calls per timed batch of ours (both thread counts). */
  oursBatch: number;
  ortUs: number[];
  mismatches: number;
}

/** Both contenders on shapes `labels`, on `threads` threads, `rounds` rounds each (see the header). */
export async function timeInProcess(
  threads: number,
  labels: readonly string[],
  rounds: number,
): Promise<ChildRow[]> {
  ort.env.wasm.numThreads = threads;
  ort.env.wasm.simd = true;
  ort.env.logLevel = "error";
  const rt = await torch.wasm.ready({ numThreads: threads });
  if (rt.numThreads !== threads)
    throw new Error(`runtime has ${rt.numThreads} threads, wanted ${threads}`);
  interface Prepared {
    s: Shape;
    ours: () => void;
    theirs: () => Promise<unknown>;
    mismatches: number;
    cleanup: () => Promise<void>;
  }
  const prepared: Prepared[] = [];
  for (const s of SHAPES.filter((x) => labels.includes(x.label))) {
    const p = seededProblem(s);
    const [ho, wo] = outputSize(s);
    const outLen = s.n * s.cout * ho * wo;
    // Ours, as a user runs it: a compiled QuantConv2d on the "wasm" device (weights packed at
    // compile time); each call's output is disposed, as a loop that keeps memory flat would.
    const model = new QuantConv2d(s.cin, s.cout, s.k, torch.float16, {
      stride: s.stride,
      padding: s.pad,
    }).to("wasm");
    model.weight.data = torch.tensor(p.weight).reshape(s.cout, s.cin, s.k, s.k).to("wasm");
    model.bias!.data = torch.tensor(p.bias).to("wasm");
    model.scale.data = torch.npuTransQuantParam(torch.tensor(p.scale)).to("wasm");
    const run = torch.compile(model, { backend: torch.wasm.backend(), dynamic: false });
    const x = torch.tensor(p.input).reshape(s.n, s.cin, s.h, s.w).to("wasm");
    const ours = () => run(x).dispose();
    // ORT: the graph, with weight + 128 as uint8.
    const wU8 = Uint8Array.from(p.weight, (v) => v + 128);
    const session = await ort.InferenceSession.create(quantConvModel(s, wU8, p.bias, p.scale), {
      executionProviders: ["wasm"],
      graphOptimizationLevel: "all",
    });
    const feeds = { x: new ort.Tensor("int8", p.input, [s.n, s.cin, s.h, s.w]) };
    const theirs = async () => (await session.run(feeds)).y!;
    // Bit-exact check before timing.
    const mine = run(x).cpu().toTypedArray() as Uint16Array;
    const y = await theirs();
    const data = y.data as Uint16Array;
    const their = new Uint16Array(data.buffer, data.byteOffset, outLen);
    let mismatches = 0;
    for (let i = 0; i < outLen; i++) if (mine[i] !== their[i]) mismatches++;
    const cleanup = async () => {
      await session.release();
    };
    prepared.push({ s, ours, theirs, mismatches, cleanup });
  }
  // Warm-up of every shape first, then a pause: V8 tiers wasm up to optimized code in
  // background threads (ORT's module is large); timing must not share the cores with that.
  for (const pr of prepared) {
    const until = performance.now() + 400;
    while (performance.now() < until) {
      pr.ours();
      await pr.theirs();
    }
  }
  await sleep(1500);
  const rows: ChildRow[] = [];
  for (const { s, ours, theirs, mismatches } of prepared) {
    // Size the batches: each timed batch lasts about 25 ms, after about 10 ms of untimed calls.
    const oursEst = await estimateCallMs(ours);
    await sleep(20);
    const ortEst = await estimateCallMs(theirs);
    // Garbage (ORT allocates its outputs per run) is collected before each timed batch.
    const gc = (globalThis as { gc?: () => void }).gc;
    const pauseMs = threads > 1 ? 100 : 5;
    const oursBatch = {
      reps: callsFor(25, oursEst),
      warmCalls: callsFor(10, oursEst),
      pauseMs,
      gc,
    };
    const ortBatch = { reps: callsFor(25, ortEst), warmCalls: callsFor(10, ortEst), pauseMs, gc };
    const oursT: number[] = [];
    const ortT: number[] = [];
    // A multi-thread process also times ours limited to 1 thread (wasm.setNumThreads), batch
    // for batch between the others: the thread-scaling ratio from calls side by side.
    const oursOneT: number[] = [];
    const oursOneThread = () => {
      torch.wasm.setNumThreads(1);
      try {
        ours();
      } finally {
        torch.wasm.setNumThreads(threads);
      }
    };
    for (let round = 0; round < rounds; round++) {
      await timeBatch(ours, oursBatch, oursT);
      if (threads > 1) await timeBatch(oursOneThread, oursBatch, oursOneT);
      await timeBatch(theirs, ortBatch, ortT);
    }
    if (process.env.TSNPU_BENCH_DEBUG) {
      const reps = oursBatch.reps;
      console.error(
        s.label,
        "ours",
        batchMedians(oursT, reps),
        "ours 1t",
        batchMedians(oursOneT, reps),
        "ort",
        batchMedians(ortT, ortBatch.reps),
      );
    }
    rows.push({
      label: s.label,
      oursUs: oursT,
      oursOneThreadUs: oursOneT,
      oursBatch: oursBatch.reps,
      ortUs: ortT,
      mismatches,
    });
  }
  for (const pr of prepared) await pr.cleanup();
  torch.wasm.shutdown();
  return rows;
}
