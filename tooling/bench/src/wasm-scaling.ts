// Thread scaling of the wasm QuantConv2d kernel itself: a 1-thread and a 2-thread WasmRuntime
// in one process, called directly (no tensors, no per-call JS), in alternating batches so
// that host drift hits both alike; the ratio is the median of the per-round ratios. This separates the kernel's scaling from the public API's
// fixed per-call cost (~10-40 µs of JS, the same on 1 and 2 threads), which the main wasm
// table includes. The 2-thread runtime's workers poll for spinMs (10 ms) after a call, so
// every batch starts 15 ms after the previous one.
//
// Run: `pnpm bench wasm` (repository root) prints it after the onnxruntime-web table.

import { WasmRuntime } from "@tsnpu/backend-wasm";
import { batchRatios, formatTable, median, sleep } from "./measure.js";
import { SHAPES, outputSize, seededProblem, type ConvShape } from "./shapes.js";

/** The kernel's geometry for shape `s` (dilation 1, offset_x 0). */
export function geometryOf(s: ConvShape) {
  const [hOut, wOut] = outputSize(s);
  return {
    n: s.n, cin: s.cin, h: s.h, w: s.w, cout: s.cout, kh: s.k, kw: s.k, strideH: s.stride, strideW: s.stride,
    padH: s.pad, padW: s.pad, dilationH: 1, dilationW: 1, hOut, wOut, offsetX: 0,
  };
}

/** A call of shape `s` on `rt` with the seeded data, all buffers allocated once. */
function prepare(rt: WasmRuntime, s: ConvShape): () => void {
  const g = geometryOf(s);
  const p = seededProblem(s);
  const packed = rt.packQuantConv2dWeights(g, p.weight);
  const [x, bias, scale] = [rt.upload(p.input), rt.upload(p.bias), rt.upload(p.scale)];
  const out = rt.alloc(s.n * s.cout * g.hOut * g.wOut * 2);
  return () => rt.quantConv2d(g, x, packed, bias, scale, out);
}

/** Timed calls per batch; batches of the two runtimes alternate. */
const BATCH = 8;

export async function runWasmScalingBench(log: (line: string) => void = console.log, labels = ["A", "B", "C", "D", "E"]): Promise<void> {
  const runtimes = [await WasmRuntime.create({ numThreads: 1 }), await WasmRuntime.create({ numThreads: 2 })];
  const rows: string[][] = [];
  try {
    for (const s of SHAPES.filter((x) => labels.includes(x.label))) {
      const calls = runtimes.map((rt) => prepare(rt, s));
      // Warm-up, each runtime on its own for 300 ms: measured, fewer calls left the 2-thread
      // runtime near 1-thread speed on shape D for the whole run (V8 tiering both modules).
      for (const call of calls) {
        const until = performance.now() + 300;
        while (performance.now() < until) call();
      }
      const times: number[][] = [[], []];
      for (let round = 0; round < 25; round++) {
        for (const i of [0, 1]) {
          await sleep(15);
          for (let j = 0; j < 3; j++) calls[i]!(); // wake the pool and the idle core
          for (let j = 0; j < BATCH; j++) {
            const t0 = performance.now();
            calls[i]!();
            times[i]!.push((performance.now() - t0) * 1000);
          }
        }
      }
      const [one, two] = times.map((t) => median(t));
      rows.push([s.label, one!.toFixed(1), two!.toFixed(1), median(batchRatios(times[0]!, times[1]!, BATCH)).toFixed(2) + "x"]);
    }
  } finally {
    for (const rt of runtimes) rt.dispose();
  }
  log("wasm QuantConv2d kernel alone (WasmRuntime.quantConv2d, no per-call JS), 1 vs 2 threads in one process, median µs");
  log(formatTable(["shape", "1t", "2t", "1t/2t (median of per-round ratios)"], rows, 1));
}
