// QuantConv2d on @tsnpu/backend-wasm against onnxruntime-web (its wasm backend under Node).
//
// ORT's peer of the whole op is the graph ConvInteger -> Add(bias) -> Cast(float32) ->
// Mul(scale) -> Cast(float16), built here as ONNX bytes with a tiny protobuf writer. ORT gets
// its fast path: weight as uint8 (w + 128) with weight zero point 128 (the same int32 sums),
// and the scales as the op reads them (float32 bits & 0xFFFFE000). offset_x is 0 because
// ConvInteger pads with the input zero point. Before timing, ORT's output must equal ours bit
// for bit.
//
// Each thread count runs in its own child processes (ORT's thread pool and ours both stay
// alive between calls): three per thread count, alternating 1, 2, 1, 2, ..., so a noisy spell
// on the shared host hits both thread counts; their samples are pooled. Every shape is warmed
// up first, then a pause lets V8 finish tiering both modules up. Inside a process the two
// contenders run interleaved, round after round, with a pause after each multi-thread run so
// a still-spinning pool of one does not steal the core of the other, and about 10 ms of
// untimed calls before each timed batch (one call was not enough: after the pause the idle
// core needs a few ms to come back to speed; it cost both contenders 10-25% on 2 threads).
// Every call is timed on its own and the table gives the median call, so a garbage
// collection or a moment the host takes a core away costs one sample, not a whole batch.
// The 2-thread bar compares ours with itself side by side: a 2-thread process also times ours
// limited to 1 thread (wasm.setNumThreads) right after each 2-thread batch, and the bar takes
// the median of those per-round ratios. Across processes, the ratio moves with whatever the
// shared host did in each process; the table prints that one too, and each process's medians.
// Also reported: ratios, GMAC/s, and the machine's wasm SIMD peak (simd-peak.ts) on 1 thread
// and on 2 at once, measured before the children (how far the host let 2 threads scale). "Ours" is the public API: a compiled QuantConv2d
// on the "wasm" device.
//
// Run: `pnpm bench wasm` (repository root). TSNPU_BENCH_DEBUG=1 prints the median of every timed batch.

import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import * as ort from "onnxruntime-web";
import * as torch from "tsnpu";
import { QuantConv2d } from "tsnpu/contrib";
import { batchRatios, formatTable, median, sleep } from "./measure.js";
import { SHAPES, macsOf, outputSize, seededProblem, type ConvShape as Shape } from "./shapes.js";
import { measurePeak } from "./simd-peak.js";

// ---------------------------------------------------------------------------------------
// A minimal protobuf writer: enough of onnx.proto for one small graph.

class Pb {
  private readonly parts: number[] = [];
  private varint(v: number | bigint): void {
    let x = BigInt.asUintN(64, BigInt(v));
    while (x >= 0x80n) {
      this.parts.push(Number(x & 0x7fn) | 0x80);
      x >>= 7n;
    }
    this.parts.push(Number(x));
  }
  int(field: number, v: number | bigint): this {
    this.varint(field << 3);
    this.varint(v);
    return this;
  }
  bytes(field: number, b: Uint8Array): this {
    this.varint((field << 3) | 2);
    this.varint(b.length);
    for (const x of b) this.parts.push(x);
    return this;
  }
  str(field: number, s: string): this {
    return this.bytes(field, new TextEncoder().encode(s));
  }
  msg(field: number, m: Pb): this {
    return this.bytes(field, m.finish());
  }
  finish(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

const ONNX = { FLOAT: 1, UINT8: 2, INT8: 3, INT32: 6, FLOAT16: 10 } as const;
const ATTR = { INT: 2, INTS: 7 } as const;

const tensorProto = (name: string, type: number, dims: number[], raw: Uint8Array) => {
  const t = new Pb();
  for (const d of dims) t.int(1, d);
  return t.int(2, type).str(8, name).bytes(9, raw);
};
const valueInfo = (name: string, type: number, dims: number[]) => {
  const shape = new Pb();
  for (const d of dims) shape.msg(1, new Pb().int(1, d));
  return new Pb().str(1, name).msg(2, new Pb().msg(1, new Pb().int(1, type).msg(2, shape)));
};
const attrInts = (name: string, v: number[]) => {
  const a = new Pb().str(1, name).int(20, ATTR.INTS);
  for (const x of v) a.int(8, x);
  return a;
};
const attrInt = (name: string, v: number) => new Pb().str(1, name).int(20, ATTR.INT).int(3, v);
const node = (op: string, inputs: string[], outputs: string[], attrs: Pb[] = []) => {
  const m = new Pb();
  for (const i of inputs) m.str(1, i);
  for (const o of outputs) m.str(2, o);
  m.str(3, `${op}_${outputs[0]}`).str(4, op);
  for (const a of attrs) m.msg(5, a);
  return m;
};
const u8 = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** ConvInteger -> Add -> Cast(f32) -> Mul -> Cast(f16) with the weights, bias and scales baked in. */
function quantConvModel(s: Shape, weightU8: Uint8Array, bias: Int32Array, scale19: Float32Array): Uint8Array {
  const [ho, wo] = outputSize(s);
  const g = new Pb()
    .msg(1, node("ConvInteger", ["x", "w", "", "w_zp"], ["acc"], [
      attrInts("kernel_shape", [s.k, s.k]), attrInts("strides", [s.stride, s.stride]),
      attrInts("pads", [s.pad, s.pad, s.pad, s.pad]), attrInts("dilations", [1, 1]), attrInt("group", 1),
    ]))
    .msg(1, node("Add", ["acc", "bias"], ["acc_b"]))
    .msg(1, node("Cast", ["acc_b"], ["acc_f"], [attrInt("to", ONNX.FLOAT)]))
    .msg(1, node("Mul", ["acc_f", "scale"], ["y32"]))
    .msg(1, node("Cast", ["y32"], ["y"], [attrInt("to", ONNX.FLOAT16)]))
    .str(2, "quant_conv2d")
    .msg(5, tensorProto("w", ONNX.UINT8, [s.cout, s.cin, s.k, s.k], weightU8))
    .msg(5, tensorProto("w_zp", ONNX.UINT8, [], Uint8Array.of(128)))
    .msg(5, tensorProto("bias", ONNX.INT32, [1, s.cout, 1, 1], u8(bias)))
    .msg(5, tensorProto("scale", ONNX.FLOAT, [1, s.cout, 1, 1], u8(scale19)))
    .msg(11, valueInfo("x", ONNX.INT8, [s.n, s.cin, s.h, s.w]))
    .msg(12, valueInfo("y", ONNX.FLOAT16, [s.n, s.cout, ho, wo]));
  return new Pb().int(1, 8).str(2, "tsnpu-bench").msg(7, g).msg(8, new Pb().str(1, "").int(2, 13)).finish();
}


// ---------------------------------------------------------------------------------------
// One process, one thread count.

/** Per-batch medians of consecutive per-call samples, for TSNPU_BENCH_DEBUG. */
const batchMedians = (calls: number[], reps: number) =>
  Array.from({ length: calls.length / reps }, (_, b) => median(calls.slice(b * reps, (b + 1) * reps)).toFixed(0)).join(" ");

interface ChildRow {
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

async function childMain(threads: number, labels: string[], rounds: number): Promise<ChildRow[]> {
  ort.env.wasm.numThreads = threads;
  ort.env.wasm.simd = true;
  ort.env.logLevel = "error";
  const rt = await torch.wasm.ready({ numThreads: threads });
  if (rt.numThreads !== threads) throw new Error(`runtime has ${rt.numThreads} threads, wanted ${threads}`);
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
    const model = new QuantConv2d(s.cin, s.cout, s.k, torch.float16, { stride: s.stride, padding: s.pad }).to("wasm");
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
    // Size the batches: each timed batch lasts about 25 ms.
    let t0 = performance.now();
    for (let i = 0; i < 3; i++) ours();
    const oursEst = (performance.now() - t0) / 3;
    await sleep(20);
    t0 = performance.now();
    for (let i = 0; i < 3; i++) await theirs();
    const ortEst = (performance.now() - t0) / 3;
    const oursReps = Math.max(1, Math.ceil(25 / Math.max(oursEst, 1e-3)));
    const ortReps = Math.max(1, Math.ceil(25 / Math.max(ortEst, 1e-3)));
    const settle = threads > 1 ? 100 : 5;
    const warmReps = (estMs: number) => Math.max(1, Math.ceil(10 / Math.max(estMs, 1e-3)));
    const oursT: number[] = [];
    const ortT: number[] = [];
    // Garbage (ORT allocates its outputs per run) is collected before each timed batch, so
    // V8's concurrent GC threads do not compete with the contenders' threads.
    const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
    /** One timed batch after a pause and about 10 ms of untimed calls (see the header). */
    const batch = async (fn: () => Promise<unknown> | void, est: number, reps: number, into: number[]) => {
      gc();
      await sleep(settle);
      for (let i = 0; i < warmReps(est); i++) await fn();
      for (let i = 0; i < reps; i++) {
        t0 = performance.now();
        const pending = fn(); // ours returns nothing: no await (a microtask) inside its timing
        if (pending) await pending;
        into.push((performance.now() - t0) * 1000);
      }
    };
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
      await batch(ours, oursEst, oursReps, oursT);
      if (threads > 1) await batch(oursOneThread, oursEst, oursReps, oursOneT);
      await batch(theirs, ortEst, ortReps, ortT);
    }
    if (process.env.TSNPU_BENCH_DEBUG) {
      console.error(s.label, "ours", batchMedians(oursT, oursReps), "ours 1t", batchMedians(oursOneT, oursReps), "ort", batchMedians(ortT, ortReps));
    }
    rows.push({ label: s.label, oursUs: oursT, oursOneThreadUs: oursOneT, oursBatch: oursReps, ortUs: ortT, mismatches });
  }
  for (const pr of prepared) await pr.cleanup();
  torch.wasm.shutdown();
  return rows;
}

// ---------------------------------------------------------------------------------------
// Parent: one child per thread count, then the table.

function runChild(threads: number, labels: string[], rounds: number): Promise<ChildRow[]> {
  return new Promise((resolve, reject) => {
    const file = fileURLToPath(import.meta.url);
    const child = spawn(process.execPath, [...process.execArgv, "--expose-gc", file, `--child=${threads}`, `--rounds=${rounds}`, `--shapes=${labels.join(",")}`], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.on("exit", (code) => {
      const line = out.split("\n").find((l) => l.startsWith("RESULT "));
      if (code !== 0 || !line) reject(new Error(`bench child (${threads} threads) failed with code ${code}:\n${out}`));
      else resolve(JSON.parse(line.slice(7)) as ChildRow[]);
    });
  });
}

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

export async function runQuantConv2dWasmBench(log: (line: string) => void = console.log, labels = SHAPES.map((s) => s.label)): Promise<void> {
  const peak = await measurePeak();
  const one: ChildRow[][] = [];
  const two: ChildRow[][] = [];
  for (let pass = 0; pass < PASSES; pass++) {
    one.push(await runChild(1, labels, ROUNDS_PER_PASS));
    two.push(await runChild(2, labels, ROUNDS_PER_PASS));
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
      s.label, r1.oursUs.toFixed(1), r2.oursUs.toFixed(1), r1.ortUs.toFixed(1), r2.ortUs.toFixed(1),
      (r1.ortUs / r1.oursUs).toFixed(2) + "x", (r2.ortUs / r2.oursUs).toFixed(2) + "x", (r1.oursUs / r2.oursUs).toFixed(2) + "x", paired.toFixed(2) + "x",
      ((macs / r1.oursUs) / 1e3).toFixed(1), ((macs / r2.oursUs) / 1e3).toFixed(1),
      r1.mismatches + r2.mismatches === 0 ? "yes" : `NO (${r1.mismatches}/${r2.mismatches})`,
    ]);
    if (s.label !== "F") bars.push(`${s.label}: 1t ours vs ORT ${(r1.ortUs / r1.oursUs).toFixed(2)}x (bar 1.3x) ${r1.ortUs / r1.oursUs >= 1.3 ? "ok" : "MISSED"}`);
    if (s.label === "A" || s.label === "C") {
      bars.push(`${s.label}: ours 2t vs 1t, side by side in the same processes ${paired.toFixed(2)}x (bar 1.8x) ${paired >= 1.8 ? "ok" : "MISSED"}; across processes ${(r1.oursUs / r2.oursUs).toFixed(2)}x`);
      const perProcess = (passes: ChildRow[][], pick: (r: ChildRow) => number[]) => passes.map((p) => median(pick(p.find((r) => r.label === label)!)).toFixed(0)).join(" / ");
      bars.push(`   ${s.label} per process, µs: 1t processes ${perProcess(one, (r) => r.oursUs)}; 2t processes ${perProcess(two, (r) => r.oursUs)}, limited to 1 thread ${perProcess(two, (r) => r.oursOneThreadUs)}`);
      const rows2 = two.map((p) => p.find((r) => r.label === label)!);
      const list = (xs: number[]) => xs.map((x) => x.toFixed(2)).join(" ");
      bars.push(`   ${s.label} same-process ratio per round: ${rows2.map((r) => list(roundRatios(r))).join(" | ")}`);
    }
    if (s.label === "F") bars.push(`F: ${r1.oursUs.toFixed(1)} µs/call 1t, ${r2.oursUs.toFixed(1)} µs 2t (bar < 30 µs) ${Math.max(r1.oursUs, r2.oursUs) < 30 ? "ok" : "MISSED"}`);
  }
  log("QuantConv2d, @tsnpu/backend-wasm vs onnxruntime-web 1.30 (wasm EP, ConvInteger graph), median µs per call");
  log(formatTable(
    ["shape", "ours 1t", "ours 2t", "ORT 1t", "ORT 2t", "ORT/ours 1t", "ORT/ours 2t", "ours 1t/2t", "ours 1t/2t same process", "GMAC/s 1t", "GMAC/s 2t", "bit-identical"],
    rows, 1,
  ));
  log(`wasm SIMD peak (i32x4.dot_i16x8_s loop): ${peak.oneThread.toFixed(1)} GMAC/s on 1 thread, ${peak.twoThreads.toFixed(1)} on 2 threads at once (${(peak.twoThreads / peak.oneThread).toFixed(2)}x: the most 2 threads could scale on this host during this run)`);
  log(`Samples: ${PASSES} processes per thread count, alternating, ${ROUNDS_PER_PASS} timed batches per shape each.`);
  for (const b of bars) log(b);
}

// ---------------------------------------------------------------------------------------

const args = process.argv.slice(2);
const childArg = args.find((a) => a.startsWith("--child="));
const shapesArg = args.find((a) => a.startsWith("--shapes="));
const roundsArg = args.find((a) => a.startsWith("--rounds="));
const labels = shapesArg ? shapesArg.slice(9).split(",") : SHAPES.map((s) => s.label);
if (childArg) {
  const rows = await childMain(Number(childArg.slice(8)), labels, Number(roundsArg?.slice(9) ?? ROUNDS_PER_PASS));
  // Samples to 0.01 µs keep the line short; exit only once the pipe has taken all of it (a
  // write to a pipe is asynchronous, and exiting at once cut long results off).
  const line = "RESULT " + JSON.stringify(rows, (_key, v: unknown) => (typeof v === "number" ? Math.round(v * 100) / 100 : v)) + "\n";
  process.stdout.write(line, () => process.exit(0));
} else if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await runQuantConv2dWasmBench(console.log, labels);
}
