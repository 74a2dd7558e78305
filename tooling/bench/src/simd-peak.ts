// The machine's wasm SIMD peak: 4 loads and 8 independent dot+add chains per iteration over a
// 4 KiB buffer, the same instruction mix as the QuantConv2d GEMM's inner loop, compiled with the
// wasm package's asc. On a shared host the second core may be given only part of the time, so
// the 2-thread / 1-thread ratio of this loop is the most any 2-thread kernel could scale at that
// moment.

import { Worker } from "node:worker_threads";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { median } from "./measure.js";

const PEAK_SOURCE = `
export function peak(buf: usize, iters: i32): i32 {
  let a0 = i32x4.splat(0), a1 = i32x4.splat(0), a2 = i32x4.splat(0), a3 = i32x4.splat(0);
  let a4 = i32x4.splat(0), a5 = i32x4.splat(0), a6 = i32x4.splat(0), a7 = i32x4.splat(0);
  let off: usize = 0;
  for (let i = 0; i < iters; i++) {
    const p = buf + off;
    const x0 = v128.load(p), x1 = v128.load(p, 16), w0 = v128.load(p, 32), w1 = v128.load(p, 48);
    a0 = i32x4.add(a0, i32x4.dot_i16x8_s(x0, w0)); a1 = i32x4.add(a1, i32x4.dot_i16x8_s(x0, w1));
    a2 = i32x4.add(a2, i32x4.dot_i16x8_s(x1, w0)); a3 = i32x4.add(a3, i32x4.dot_i16x8_s(x1, w1));
    a4 = i32x4.add(a4, i32x4.dot_i16x8_s(x0, x1)); a5 = i32x4.add(a5, i32x4.dot_i16x8_s(w0, w1));
    a6 = i32x4.add(a6, i32x4.dot_i16x8_s(x0, x0)); a7 = i32x4.add(a7, i32x4.dot_i16x8_s(w1, w1));
    off = (off + 64) & 4095;
  }
  const s = i32x4.add(i32x4.add(i32x4.add(a0, a1), i32x4.add(a2, a3)), i32x4.add(i32x4.add(a4, a5), i32x4.add(a6, a7)));
  return i32x4.extract_lane(s, 0) + i32x4.extract_lane(s, 1) + i32x4.extract_lane(s, 2) + i32x4.extract_lane(s, 3);
}
`;

// Each worker instantiates the shared compiled module and, per request, runs the loop for the
// given milliseconds and answers with its GMAC/s.
const PEAK_WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const { peak } = new WebAssembly.Instance(workerData, { env: { abort() {} } }).exports;
parentPort.on("message", (ms) => {
  const iters = 100000;
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < ms) { peak(1024, iters); n++; }
  parentPort.postMessage((n * iters * 64) / (performance.now() - t0) / 1e6);
});
`;

/** Two idle workers running the peak loop on request. */
interface PeakProbe {
  /** GMAC/s of the loop on 1 thread, or summed over 2 threads at once, over `ms` milliseconds. */
  run(threads: 1 | 2, ms: number): Promise<number>;
  close(): Promise<void>;
}

async function startPeakProbe(): Promise<PeakProbe> {
  const ascPkg = pathToFileURL(
    createRequire(import.meta.resolve("@tsnpu/backend-wasm/package.json")).resolve(
      "assemblyscript/package.json",
    ),
  );
  const asc = await import(new URL("dist/asc.js", ascPkg).href);
  const { binary, error, stderr } = await asc.compileString(PEAK_SOURCE, {
    optimizeLevel: 3,
    runtime: "stub",
    enable: ["simd"],
    initialMemory: 1,
  });
  if (error) throw new Error(`peak kernel: ${stderr?.toString()}`);
  // (globalThis access: this package's tsconfig has no DOM lib, hence no WebAssembly types.)
  const module = await (
    globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<unknown> } }
  ).WebAssembly.compile(binary);
  const workers = [0, 1].map(() => new Worker(PEAK_WORKER, { eval: true, workerData: module }));
  const ask = (w: Worker, ms: number) =>
    new Promise<number>((res) => {
      w.once("message", res);
      w.postMessage(ms);
    });
  await Promise.all(workers.map((w) => ask(w, 400))); // tier-up
  return {
    run: async (threads, ms) =>
      (await Promise.all(workers.slice(0, threads).map((w) => ask(w, ms)))).reduce((a, b) => a + b),
    close: async () => {
      for (const w of workers) await w.terminate();
    },
  };
}

/** The peak on 1 thread and on 2 threads at once, medians of alternating 60 ms rounds. */
export async function measurePeak(): Promise<{ oneThread: number; twoThreads: number }> {
  const probe = await startPeakProbe();
  try {
    const one: number[] = [];
    const two: number[] = [];
    for (let r = 0; r < 9; r++) {
      one.push(await probe.run(1, 60));
      two.push(await probe.run(2, 60));
    }
    return { oneThread: median(one), twoThreads: median(two) };
  } finally {
    await probe.close();
  }
}
