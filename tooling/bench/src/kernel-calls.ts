// Direct calls of the wasm QuantConv2d kernel (WasmRuntime.quantConv2d, no tensors, no per-call
// JS) and the side-by-side timing of two of them, shared by wasm-scaling.ts (1 vs 2 threads)
// and wasm-ab.ts (baseline vs current build).

import type { WasmRuntime } from "@tsnpu/backend-wasm";
import { batchRatios, median, sleep } from "./measure.js";
import { outputSize, seededProblem, type ConvShape } from "./shapes.js";

/** The kernel's geometry for shape `s` (dilation 1, offset_x 0). */
function geometryOf(s: ConvShape) {
  const [hOut, wOut] = outputSize(s);
  return {
    n: s.n, cin: s.cin, h: s.h, w: s.w, cout: s.cout, kh: s.k, kw: s.k, strideH: s.stride, strideW: s.stride,
    padH: s.pad, padW: s.pad, dilationH: 1, dilationW: 1, hOut, wOut, offsetX: 0,
  };
}

/** A call of shape `s` on `rt` with the seeded data, all buffers allocated once, and a copy of its output. */
export function prepareKernelCall(rt: WasmRuntime, s: ConvShape): { call: () => void; output: () => Uint16Array } {
  const g = geometryOf(s);
  const p = seededProblem(s);
  const packed = rt.packQuantConv2dWeights(g, p.weight);
  const [x, bias, scale] = [rt.upload(p.input), rt.upload(p.bias), rt.upload(p.scale)];
  const length = s.n * s.cout * g.hOut * g.wOut;
  const out = rt.alloc(length * 2);
  return {
    call: () => rt.quantConv2d(g, x, packed, bias, scale, out),
    output: () => new Uint16Array(rt.memory.buffer, out, length).slice(),
  };
}

/** Timed calls per batch. */
const BATCH = 8;

/**
 * Times two calls in alternating batches: `rounds` rounds, each batch after a pause of
 * `pauseMs` (a multi-thread pool spins ~10 ms after a call) and 3 untimed calls that wake the
 * pool and the idle core. Returns each call's median µs and the median of the per-round ratios
 * (first / second).
 */
export async function timeSideBySide(calls: readonly [() => void, () => void], rounds: number, pauseMs: number) {
  // Warm-up, each call on its own for 300 ms: measured, fewer calls left a 2-thread runtime
  // near 1-thread speed on shape D for the whole run (V8 tiering both modules).
  for (const call of calls) {
    const until = performance.now() + 300;
    while (performance.now() < until) call();
  }
  const times: [number[], number[]] = [[], []];
  for (let round = 0; round < rounds; round++) {
    for (const i of [0, 1] as const) {
      await sleep(pauseMs);
      for (let j = 0; j < 3; j++) calls[i]();
      for (let j = 0; j < BATCH; j++) {
        const t0 = performance.now();
        calls[i]();
        times[i].push((performance.now() - t0) * 1000);
      }
    }
  }
  return { medians: [median(times[0]), median(times[1])] as const, ratio: median(batchRatios(times[0], times[1], BATCH)) };
}
