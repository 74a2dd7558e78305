// QuantConv2d on @tsnpu/backend-wasm against onnxruntime-web (its wasm backend under Node):
// the parent of the bench. ORT's peer of the whole op is onnx-conv-model.ts's graph; each
// process times both (quant-conv2d-wasm-process.ts), ORT's output checked bit for bit first.
//
// Each thread count runs in its own child processes (ORT's thread pool and ours both stay
// alive between calls): three per thread count, alternating 1, 2, 1, 2, ..., so a noisy spell
// on the shared host hits both thread counts; their samples are pooled and the table gives the
// median call. The 2-thread bar compares ours with itself side by side: the median of the
// per-round ratios of ours limited to 1 thread over ours on 2, in the same processes. Across
// processes, the ratio moves with whatever the shared host did in each process; the table
// prints that one too, and each process's medians. Also reported: ratios, GMAC/s, and the
// machine's wasm SIMD peak (simd-peak.ts) on 1 thread and on 2 at once, measured before the
// children (how far the host let 2 threads scale); the bars are targets.ts's.
//
// Run: `pnpm bench wasm` (repository root). TSNPU_BENCH_DEBUG=1 prints the median of every timed batch.

import { runChild } from "./child-process.js";
import { batchRatios, formatTable, median } from "./measure.js";
import type { ChildRow } from "./quant-conv2d-wasm-process.js";
import { SHAPES, macsOf } from "./shapes.js";
import { measurePeak } from "./simd-peak.js";
import { WASM_TARGETS } from "./targets.js";

/** Children per thread count, run alternately (1, 2, 1, 2, ...): host noise then lands on both. */
const PASSES = 3;
const ROUNDS_PER_PASS = 7;

/** Per round of a multi-thread process: ours limited to 1 thread / ours on all threads. */
const roundRatios = (r: ChildRow) => batchRatios(r.oursOneThreadUs, r.oursUs, r.oursBatch);

/** Pools every pass's per-call samples of one thread count into medians per shape. */
function pooled(passes: ChildRow[][], label: string) {
  const rows = passes.map((p) => p.find((r) => r.label === label)!);
  return {
    oursUs: median(rows.flatMap((r) => r.oursUs)),
    /** Median over every round of every process: 1-thread batch / the 2-thread batch before it. */
    pairedRatio: median(rows.flatMap((r) => roundRatios(r))),
    ortUs: median(rows.flatMap((r) => r.ortUs)),
    mismatches: rows.reduce((m, r) => m + r.mismatches, 0),
  };
}

const includes = (shapes: readonly string[], label: string) => shapes.includes(label);

/** One child process: `threads` threads, ROUNDS_PER_PASS rounds of every shape of `labels`. */
const runProcess = (threads: number, labels: readonly string[]) =>
  runChild<ChildRow[]>(
    new URL("./quant-conv2d-wasm-child.ts", import.meta.url),
    [`--threads=${threads}`, `--rounds=${ROUNDS_PER_PASS}`, `--shapes=${labels.join(",")}`],
    ["--expose-gc"],
  );

export async function runQuantConv2dWasmBench(
  log: (line: string) => void = console.log,
  labels = SHAPES.map((s) => s.label),
): Promise<void> {
  const peak = await measurePeak();
  const one: ChildRow[][] = [];
  const two: ChildRow[][] = [];
  for (let pass = 0; pass < PASSES; pass++) {
    one.push(await runProcess(1, labels));
    two.push(await runProcess(2, labels));
  }
  const rows: string[][] = [];
  const bars: string[] = [];
  for (const label of labels) {
    const r1 = pooled(one, label);
    const r2 = pooled(two, label);
    const s = SHAPES.find((x) => x.label === label)!;
    const macs = macsOf(s);
    const paired = r2.pairedRatio;
    rows.push([
      s.label,
      r1.oursUs.toFixed(1),
      r2.oursUs.toFixed(1),
      r1.ortUs.toFixed(1),
      r2.ortUs.toFixed(1),
      (r1.ortUs / r1.oursUs).toFixed(2) + "x",
      (r2.ortUs / r2.oursUs).toFixed(2) + "x",
      (r1.oursUs / r2.oursUs).toFixed(2) + "x",
      paired.toFixed(2) + "x",
      (macs / r1.oursUs / 1e3).toFixed(1),
      (macs / r2.oursUs / 1e3).toFixed(1),
      r1.mismatches + r2.mismatches === 0 ? "yes" : `NO (${r1.mismatches}/${r2.mismatches})`,
    ]);
    const {
      ortOverOursOneThread: vsOrtBar,
      twoThreadScaling: scalingBar,
      tinyCallUs: tinyBar,
    } = WASM_TARGETS;
    const verdict = (ok: boolean) => (ok ? "ok" : "MISSED");
    const vsOrt = r1.ortUs / r1.oursUs;
    if (includes(vsOrtBar.shapes, label))
      bars.push(
        `${label}: 1t ours vs ORT ${vsOrt.toFixed(2)}x (bar ${vsOrtBar.min}x) ${verdict(vsOrt >= vsOrtBar.min)}`,
      );
    if (includes(scalingBar.shapes, label)) {
      bars.push(
        `${label}: ours 2t vs 1t, side by side in the same processes ${paired.toFixed(2)}x (bar ${scalingBar.min}x) ${verdict(paired >= scalingBar.min)}; across processes ${(r1.oursUs / r2.oursUs).toFixed(2)}x`,
      );
      const perProcess = (passes: ChildRow[][], pick: (r: ChildRow) => number[]) =>
        passes.map((p) => median(pick(p.find((r) => r.label === label)!)).toFixed(0)).join(" / ");
      bars.push(
        `   ${label} per process, µs: 1t processes ${perProcess(one, (r) => r.oursUs)}; 2t processes ${perProcess(two, (r) => r.oursUs)}, limited to 1 thread ${perProcess(two, (r) => r.oursOneThreadUs)}`,
      );
      const rows2 = two.map((p) => p.find((r) => r.label === label)!);
      const list = (xs: number[]) => xs.map((x) => x.toFixed(2)).join(" ");
      bars.push(
        `   ${label} same-process ratio per round: ${rows2.map((r) => list(roundRatios(r))).join(" | ")}`,
      );
    }
    if (includes(tinyBar.shapes, label)) {
      bars.push(
        `${label}: ${r1.oursUs.toFixed(1)} µs/call 1t, ${r2.oursUs.toFixed(1)} µs 2t (bar < ${tinyBar.max} µs) ${verdict(Math.max(r1.oursUs, r2.oursUs) < tinyBar.max)}`,
      );
    }
  }
  log(
    "QuantConv2d, @tsnpu/backend-wasm vs onnxruntime-web 1.30 (wasm EP, ConvInteger graph), median µs per call",
  );
  log(
    formatTable(
      [
        "shape",
        "ours 1t",
        "ours 2t",
        "ORT 1t",
        "ORT 2t",
        "ORT/ours 1t",
        "ORT/ours 2t",
        "ours 1t/2t",
        "ours 1t/2t same process",
        "GMAC/s 1t",
        "GMAC/s 2t",
        "bit-identical",
      ],
      rows,
      1,
    ),
  );
  log(
    `wasm SIMD peak (i32x4.dot_i16x8_s loop): ${peak.oneThread.toFixed(1)} GMAC/s on 1 thread, ${peak.twoThreads.toFixed(1)} on 2 threads at once (${(peak.twoThreads / peak.oneThread).toFixed(2)}x: the most 2 threads could scale on this host during this run)`,
  );
  log(
    `Samples: ${PASSES} processes per thread count, alternating, ${ROUNDS_PER_PASS} timed batches per shape each.`,
  );
  for (const b of bars) log(b);
}
