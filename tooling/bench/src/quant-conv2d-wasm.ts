// QuantConv2d on @tsnpu/backend-wasm against onnxruntime-web (its wasm backend under Node).
//
// ORT's peer of the whole op is the graph ConvInteger -> Add(bias) -> Cast(float32) ->
// Mul(scale) -> Cast(float16), built here as ONNX bytes with a tiny protobuf writer. ORT gets
// its fast path: weight as uint8 (w + 128) with weight zero point 128 (the same int32 sums),
// and the scales as the op reads them (float32 bits & 0xFFFFE000). offset_x is 0 because
// ConvInteger pads with the input zero point. Before timing, ORT's output must equal ours bit
// for bit.
//
// Each thread count runs in its own child process (ORT's thread pool and ours both stay
// alive between calls); inside a process the two contenders run interleaved, round after
// round, with a pause after each multi-thread run so a still-spinning pool of one does not
// steal the core of the other. Reported: medians, ratios, GMAC/s, and the machine's wasm SIMD
// peak measured with a tight i32x4.dot_i16x8_s loop over cache-resident data.
//
// Run: `pnpm --filter @tsnpu/backend-wasm bench` (Node 20), or on Node >= 22.6
// `node --experimental-strip-types tooling/bench/src/quant-conv2d-wasm.ts`. Main entry for
// the suite: runQuantConv2dWasmBench().

import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";

interface Shape {
  readonly label: string;
  readonly n: number;
  readonly cin: number;
  readonly h: number;
  readonly w: number;
  readonly cout: number;
  readonly k: number;
  readonly stride: number;
  readonly pad: number;
}

const SHAPES: readonly Shape[] = [
  { label: "A", n: 1, cin: 64, h: 56, w: 56, cout: 64, k: 3, stride: 1, pad: 1 },
  { label: "B", n: 1, cin: 3, h: 224, w: 224, cout: 64, k: 7, stride: 2, pad: 3 },
  { label: "C", n: 1, cin: 256, h: 14, w: 14, cout: 256, k: 3, stride: 1, pad: 1 },
  { label: "D", n: 1, cin: 512, h: 7, w: 7, cout: 512, k: 1, stride: 1, pad: 0 },
  { label: "E", n: 8, cin: 32, h: 32, w: 32, cout: 32, k: 3, stride: 1, pad: 1 },
  { label: "F", n: 1, cin: 1, h: 64, w: 64, cout: 1, k: 3, stride: 1, pad: 0 },
];

const outSize = (s: Shape) => Math.floor((s.h + 2 * s.pad - s.k) / s.stride) + 1;
const macsOf = (s: Shape) => s.n * s.cout * outSize(s) ** 2 * s.cin * s.k * s.k;

// ---------------------------------------------------------------------------------------
// Dependencies. tooling/bench does not (yet) depend on @tsnpu/backend-wasm or onnxruntime-web,
// so both are resolved from packages/backend-wasm, which has them.

const backendDir = new URL("../../../packages/backend-wasm/", import.meta.url);
const backendRequire = createRequire(new URL("package.json", backendDir));

async function importBackend(): Promise<any> {
  try {
    return await import("@tsnpu/backend-wasm" as string);
  } catch {
    return import(new URL("dist/index.js", backendDir).href);
  }
}

async function importOrt(): Promise<any> {
  try {
    return await import("onnxruntime-web" as string);
  } catch {
    // require() resolves the "node" condition to dist/ort.node.min.js; take its ES module twin.
    const cjs = backendRequire.resolve("onnxruntime-web");
    return import(pathToFileURL(cjs.replace(/\.js$/, ".mjs")).href);
  }
}

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
  const ho = outSize(s);
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
    .msg(12, valueInfo("y", ONNX.FLOAT16, [s.n, s.cout, ho, ho]));
  return new Pb().int(1, 8).str(2, "tsnpu-bench").msg(7, g).msg(8, new Pb().str(1, "").int(2, 13)).finish();
}

// ---------------------------------------------------------------------------------------
// Problems: seeded random int8 data, int32 bias, small scales.

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function problem(s: Shape) {
  const r = rng(s.label.charCodeAt(0));
  const int8 = (len: number) => Int8Array.from({ length: len }, () => Math.floor(r() * 256) - 128);
  const input = int8(s.n * s.cin * s.h * s.w);
  const weight = int8(s.cout * s.cin * s.k * s.k);
  const bias = Int32Array.from({ length: s.cout }, () => Math.floor(r() * 2001) - 1000);
  // Masked like the op reads them (spec section 3 step 4).
  const scale = new Float32Array(s.cout);
  const bits = new Uint32Array(scale.buffer);
  for (let i = 0; i < s.cout; i++) {
    scale[i] = (1 + r()) * 1e-4;
    bits[i] = (bits[i]! & 0xffffe000) >>> 0;
  }
  return { input, weight, bias, scale };
}

const sleep = (ms: number) => new Promise<void>((res) => setTimeout(res, ms));
const median = (xs: number[]) => {
  const v = [...xs].sort((a, b) => a - b);
  const m = v.length >> 1;
  return v.length % 2 ? v[m]! : (v[m - 1]! + v[m]!) / 2;
};

// ---------------------------------------------------------------------------------------
// One process, one thread count.

interface ChildRow {
  label: string;
  oursUs: number;
  ortUs: number;
  identical: boolean;
  mismatches: number;
  rounds: number;
}

async function childMain(threads: number, labels: string[]): Promise<ChildRow[]> {
  const { WasmRuntime } = await importBackend();
  const ort = await importOrt();
  ort.env.wasm.numThreads = threads;
  ort.env.wasm.simd = true;
  ort.env.logLevel = "error";
  const rt = await WasmRuntime.create({ numThreads: threads });
  if (rt.numThreads !== threads) throw new Error(`runtime has ${rt.numThreads} threads, wanted ${threads}`);
  const rows: ChildRow[] = [];
  for (const s of SHAPES.filter((x) => labels.includes(x.label))) {
    const p = problem(s);
    const ho = outSize(s);
    const g = {
      n: s.n, cin: s.cin, h: s.h, w: s.w, cout: s.cout, kh: s.k, kw: s.k, strideH: s.stride, strideW: s.stride,
      padH: s.pad, padW: s.pad, dilationH: 1, dilationW: 1, hOut: ho, wOut: ho, offsetX: 0,
    };
    const outLen = s.n * s.cout * ho * ho;
    // Ours: weights packed once, buffers allocated once.
    const packed = rt.packQuantConv2dWeights(g, p.weight);
    const xPtr = rt.upload(p.input), bPtr = rt.upload(p.bias), sPtr = rt.upload(p.scale);
    const oPtr = rt.alloc(outLen * 2);
    const ours = () => rt.quantConv2d(g, xPtr, packed, bPtr, sPtr, oPtr);
    // ORT: the graph, with weight + 128 as uint8.
    const wU8 = Uint8Array.from(p.weight, (v) => v + 128);
    const session = await ort.InferenceSession.create(quantConvModel(s, wU8, p.bias, p.scale), {
      executionProviders: ["wasm"],
      graphOptimizationLevel: "all",
    });
    const feeds = { x: new ort.Tensor("int8", p.input, [s.n, s.cin, s.h, s.w]) };
    const theirs = async () => (await session.run(feeds)).y;
    // Bit-exact check before timing.
    ours();
    const mine = rt.view(Uint16Array, oPtr, outLen).slice();
    const y = await theirs();
    const their = y.data instanceof Uint16Array ? y.data : new Uint16Array(y.data.buffer, y.data.byteOffset, outLen);
    let mismatches = 0;
    for (let i = 0; i < outLen; i++) if (mine[i] !== their[i]) mismatches++;
    // Warm up and size the batches: each timed batch lasts about 25 ms.
    let t0 = performance.now();
    for (let i = 0; i < 3; i++) ours();
    const oursEst = (performance.now() - t0) / 3;
    await sleep(20);
    t0 = performance.now();
    for (let i = 0; i < 3; i++) await theirs();
    const ortEst = (performance.now() - t0) / 3;
    const oursReps = Math.max(1, Math.ceil(25 / Math.max(oursEst, 1e-3)));
    const ortReps = Math.max(1, Math.ceil(25 / Math.max(ortEst, 1e-3)));
    const settle = threads > 1 ? 50 : 5;
    const oursT: number[] = [];
    const ortT: number[] = [];
    const rounds = 15;
    for (let round = 0; round < rounds; round++) {
      await sleep(settle);
      t0 = performance.now();
      for (let i = 0; i < oursReps; i++) ours();
      oursT.push(((performance.now() - t0) / oursReps) * 1000);
      await sleep(settle);
      t0 = performance.now();
      for (let i = 0; i < ortReps; i++) await theirs();
      ortT.push(((performance.now() - t0) / ortReps) * 1000);
    }
    rows.push({ label: s.label, oursUs: median(oursT), ortUs: median(ortT), identical: mismatches === 0, mismatches, rounds });
    await session.release();
    rt.freePacked(packed);
    for (const ptr of [xPtr, bPtr, sPtr, oPtr]) rt.free(ptr);
  }
  rt.dispose();
  return rows;
}

// ---------------------------------------------------------------------------------------
// Peak: 4 loads and 8 independent dot+add chains per iteration over a 4 KiB buffer, the same
// instruction mix as the GEMM's inner loop. Compiled with the package's asc.

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

async function measurePeakGmacs(): Promise<number> {
  const ascPkg = pathToFileURL(backendRequire.resolve("assemblyscript/package.json"));
  const asc = await import(new URL("dist/asc.js", ascPkg).href);
  const { binary, error, stderr } = await asc.compileString(PEAK_SOURCE, { optimizeLevel: 3, runtime: "stub", enable: ["simd"], initialMemory: 1 });
  if (error) throw new Error(`peak kernel: ${stderr?.toString()}`);
  const { instance } = await WebAssembly.instantiate(binary, { env: { abort: () => {} } });
  const peak = instance.exports.peak as (buf: number, iters: number) => number;
  const iters = 2_000_000;
  const best: number[] = [];
  for (let r = 0; r < 7; r++) {
    const t0 = performance.now();
    peak(1024, iters);
    best.push(performance.now() - t0);
  }
  return (iters * 64) / median(best) / 1e6; // 8 dots x 8 MACs per iteration
}

// ---------------------------------------------------------------------------------------
// Parent: one child per thread count, then the table.

function runChild(threads: number, labels: string[]): Promise<ChildRow[]> {
  return new Promise((resolve, reject) => {
    const file = fileURLToPath(import.meta.url);
    const child = spawn(process.execPath, [...process.execArgv, file, `--child=${threads}`, `--shapes=${labels.join(",")}`], {
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

function table(header: string[], rows: string[][]): string {
  const w = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => "| " + r.map((c, i) => (i < 1 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join(" | ") + " |";
  return [line(header), "| " + w.map((x, i) => (i < 1 ? "-".repeat(x) : "-".repeat(x - 1) + ":")).join(" | ") + " |", ...rows.map(line)].join("\n");
}

export async function runQuantConv2dWasmBench(log: (line: string) => void = console.log, labels = SHAPES.map((s) => s.label)): Promise<void> {
  const peak = await measurePeakGmacs();
  const one = await runChild(1, labels);
  const two = await runChild(2, labels);
  const rows: string[][] = [];
  const bars: string[] = [];
  for (const r1 of one) {
    const r2 = two.find((r) => r.label === r1.label)!;
    const s = SHAPES.find((x) => x.label === r1.label)!;
    const macs = macsOf(s);
    rows.push([
      s.label, r1.oursUs.toFixed(1), r2.oursUs.toFixed(1), r1.ortUs.toFixed(1), r2.ortUs.toFixed(1),
      (r1.ortUs / r1.oursUs).toFixed(2) + "x", (r2.ortUs / r2.oursUs).toFixed(2) + "x", (r1.oursUs / r2.oursUs).toFixed(2) + "x",
      ((macs / r1.oursUs) / 1e3).toFixed(1), ((macs / r2.oursUs) / 1e3).toFixed(1),
      r1.identical && r2.identical ? "yes" : `NO (${r1.mismatches}/${r2.mismatches})`,
    ]);
    if (s.label !== "F") bars.push(`${s.label}: 1t ours vs ORT ${(r1.ortUs / r1.oursUs).toFixed(2)}x (bar 1.3x) ${r1.ortUs / r1.oursUs >= 1.3 ? "ok" : "MISSED"}`);
    if (s.label === "A" || s.label === "C") bars.push(`${s.label}: ours 2t vs 1t ${(r1.oursUs / r2.oursUs).toFixed(2)}x (bar 1.8x) ${r1.oursUs / r2.oursUs >= 1.8 ? "ok" : "MISSED"}`);
    if (s.label === "F") bars.push(`F: ${r1.oursUs.toFixed(1)} µs/call 1t, ${r2.oursUs.toFixed(1)} µs 2t (bar < 30 µs) ${Math.max(r1.oursUs, r2.oursUs) < 30 ? "ok" : "MISSED"}`);
  }
  log("QuantConv2d, @tsnpu/backend-wasm vs onnxruntime-web 1.30 (wasm EP, ConvInteger graph), median µs per call");
  log(table(
    ["shape", "ours 1t", "ours 2t", "ORT 1t", "ORT 2t", "ORT/ours 1t", "ORT/ours 2t", "ours 1t/2t", "GMAC/s 1t", "GMAC/s 2t", "bit-identical"],
    rows,
  ));
  log(`wasm SIMD peak (i32x4.dot_i16x8_s loop, 1 thread): ${peak.toFixed(1)} GMAC/s`);
  for (const b of bars) log(b);
}

// ---------------------------------------------------------------------------------------

const args = process.argv.slice(2);
const childArg = args.find((a) => a.startsWith("--child="));
const shapesArg = args.find((a) => a.startsWith("--shapes="));
const labels = shapesArg ? shapesArg.slice(9).split(",") : SHAPES.map((s) => s.label);
if (childArg) {
  const rows = await childMain(Number(childArg.slice(8)), labels);
  process.stdout.write("RESULT " + JSON.stringify(rows) + "\n");
  process.exit(0);
} else if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await runQuantConv2dWasmBench(console.log, labels);
}
