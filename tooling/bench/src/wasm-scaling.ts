// Thread scaling of the wasm QuantConv2d kernel itself: a 1-thread and a 2-thread WasmRuntime
// in one process, called directly (no tensors, no per-call JS), in alternating batches so
// that host drift hits both alike (measure.ts); the ratio is the median of the per-round
// ratios. This separates the kernel's scaling from the public API's fixed per-call cost
// (~10-40 µs of JS, the same on 1 and 2 threads), which the main wasm table includes. The
// 2-thread runtime's workers poll for spinMs (10 ms) after a call, so every batch starts 15 ms
// after the previous one.
//
// Run: `pnpm bench wasm` (repository root) prints it after the onnxruntime-web table.

import { WasmRuntime } from "@tsnpu/backend-wasm";
import { formatTable, timeSideBySide } from "./measure.js";
import { SHAPES } from "./shapes.js";
import { prepareKernelCall } from "./kernel-calls.js";

export async function runWasmScalingBench(
  log: (line: string) => void = console.log,
  labels = ["A", "B", "C", "D", "E"],
): Promise<void> {
  const runtimes = [
    await WasmRuntime.create({ numThreads: 1 }),
    await WasmRuntime.create({ numThreads: 2 }),
  ];
  const rows: string[][] = [];
  try {
    for (const s of SHAPES.filter((x) => labels.includes(x.label))) {
      const [one, two] = runtimes.map((rt) => prepareKernelCall(rt, s).call);
      const { medians, ratio } = await timeSideBySide([one!, two!], 25, 15);
      rows.push([s.label, medians[0].toFixed(1), medians[1].toFixed(1), ratio.toFixed(2) + "x"]);
    }
  } finally {
    for (const rt of runtimes) rt.dispose();
  }
  log(
    "wasm QuantConv2d kernel alone (WasmRuntime.quantConv2d, no per-call JS), 1 vs 2 threads in one process, median µs",
  );
  log(formatTable(["shape", "1t", "2t", "1t/2t (median of per-round ratios)"], rows, 1));
}
