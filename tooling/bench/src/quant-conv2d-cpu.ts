// QuantConv2d on the cpu: our int8 kernel (eager and packed-weights paths) against
// @tensorflow/tfjs-backend-cpu's float32 conv2d on the same shapes, timed side by side in one
// process with the contenders interleaved, so a noisy neighbour slows every row alike.

import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { decodeQuantScales, type QuantConv2dGeometry } from "@tsnpu/tensor";
// The kernel is not exported from @tsnpu/backend-cpu's index yet, so it is read from source.
import {
  packQuantConv2dWeights,
  quantConv2d,
  quantConv2dPacked,
} from "../../../packages/backend-cpu/src/impl/quant-conv2d.js";

export interface ConvShape {
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

/** A prepared run: inputs made once, `run` is what gets timed. */
export interface PreparedRun {
  run(): void;
  dispose?(): void;
}

/** One row of the table. Add contenders here (e.g. "tsnpu op via dispatcher"). */
export interface Contender {
  readonly name: string;
  prepare(shape: ConvShape): PreparedRun;
}

export const SHAPES: readonly ConvShape[] = [
  { label: "A", n: 1, cin: 64, h: 56, w: 56, cout: 64, k: 3, stride: 1, pad: 1 },
  { label: "B", n: 1, cin: 3, h: 224, w: 224, cout: 64, k: 7, stride: 2, pad: 3 },
  { label: "C", n: 1, cin: 256, h: 14, w: 14, cout: 256, k: 3, stride: 1, pad: 1 },
  { label: "D", n: 1, cin: 512, h: 7, w: 7, cout: 512, k: 1, stride: 1, pad: 0 },
  { label: "E", n: 8, cin: 32, h: 32, w: 32, cout: 32, k: 3, stride: 1, pad: 1 },
  { label: "F", n: 1, cin: 1, h: 64, w: 64, cout: 1, k: 3, stride: 1, pad: 0 },
];

export function geometryOf(s: ConvShape): QuantConv2dGeometry {
  const out = (x: number) => Math.floor((x + 2 * s.pad - (s.k - 1) - 1) / s.stride) + 1;
  return {
    n: s.n, cin: s.cin, h: s.h, w: s.w, cout: s.cout, kh: s.k, kw: s.k,
    strideH: s.stride, strideW: s.stride, padH: s.pad, padW: s.pad,
    dilationH: 1, dilationW: 1, hOut: out(s.h), wOut: out(s.w), offsetX: 0,
  };
}

export function macsOf(s: ConvShape): number {
  const g = geometryOf(s);
  return s.n * s.cout * g.hOut * g.wOut * s.cin * s.k * s.k;
}

function randomInt8(len: number): Int8Array {
  const a = new Int8Array(len);
  for (let i = 0; i < len; i++) a[i] = Math.floor(Math.random() * 256) - 128;
  return a;
}

/** Random int8 tensors, int32 bias and float32 scales (bits 0xFFFFE000-masked like the op). */
function quantInputs(s: ConvShape) {
  const g = geometryOf(s);
  const words = new BigInt64Array(s.cout);
  const f = new Float32Array(1);
  const bits = new Uint32Array(f.buffer);
  for (let o = 0; o < s.cout; o++) {
    f[0] = 1e-4 * (1 + Math.random());
    words[o] = BigInt(bits[0]!) | (1n << 46n);
  }
  const bias = new Int32Array(s.cout).map(() => Math.floor(Math.random() * 2001) - 1000);
  return {
    g,
    input: randomInt8(s.n * s.cin * s.h * s.w),
    weight: randomInt8(s.cout * s.cin * s.k * s.k),
    bias,
    scale: decodeQuantScales(words),
    out: new Uint16Array(s.n * s.cout * g.hOut * g.wOut),
  };
}

export const TFJS_NAME = "tfjs-backend-cpu f32";

export const CONTENDERS: Contender[] = [
  {
    name: "tsnpu cpu eager",
    prepare(s) {
      const q = quantInputs(s);
      return { run: () => quantConv2d(q.g, q.input, q.weight, q.bias, q.scale, q.out) };
    },
  },
  {
    name: "tsnpu cpu packed",
    prepare(s) {
      const q = quantInputs(s);
      const packed = packQuantConv2dWeights(q.g, q.weight);
      return { run: () => quantConv2dPacked(q.g, q.input, packed, q.bias, q.scale, q.out) };
    },
  },
  {
    name: TFJS_NAME,
    prepare(s) {
      const x = tf.randomNormal([s.n, s.h, s.w, s.cin], 0, 1, "float32");
      const filter = tf.randomNormal([s.k, s.k, s.cin, s.cout], 0, 1, "float32");
      const pad: [[number, number], [number, number], [number, number], [number, number]] = [
        [0, 0], [s.pad, s.pad], [s.pad, s.pad], [0, 0],
      ];
      return {
        run: () => {
          const y = tf.conv2d(x as tf.Tensor4D, filter as tf.Tensor4D, s.stride, pad);
          y.dataSync();
          y.dispose();
        },
        dispose: () => {
          x.dispose();
          filter.dispose();
        },
      };
    },
  },
];

export interface Measurement {
  readonly shape: ConvShape;
  readonly contender: string;
  readonly medianMs: number;
  readonly runs: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/**
 * Times every contender on one shape: two warm-up runs each, then rounds in which each
 * contender runs once, until `budgetMs` of wall time is spent (at least `minRounds`, at most
 * `maxRounds`).
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
  return contenders.map((c, i) => ({ shape, contender: c.name, medianMs: median(times[i]!), runs: times[i]!.length }));
}

export async function runQuantConv2dCpuBench(log: (line: string) => void = console.log): Promise<Measurement[]> {
  await tf.setBackend("cpu");
  const all: Measurement[] = [];
  const header = ["shape", "N,Cin,H,W,Cout,k,s,p", "contender", "median ms", "GMAC/s", "runs", "speedup vs tfjs"];
  const rows: string[][] = [];
  for (const shape of SHAPES) {
    const ms = measureShape(shape, CONTENDERS);
    all.push(...ms);
    const macs = macsOf(shape);
    const tfjs = ms.find((m) => m.contender === TFJS_NAME)!.medianMs;
    for (const m of ms) {
      rows.push([
        shape.label,
        [shape.n, shape.cin, shape.h, shape.w, shape.cout, shape.k, shape.stride, shape.pad].join(","),
        m.contender,
        m.medianMs.toFixed(3),
        (macs / m.medianMs / 1e6).toFixed(3),
        String(m.runs),
        m.contender === TFJS_NAME ? "1.00x" : `${(tfjs / m.medianMs).toFixed(2)}x`,
      ]);
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => "| " + r.map((c, i) => (i >= 3 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(" | ") + " |";
  log("QuantConv2d int8 (tsnpu cpu) vs float32 conv2d (tfjs-backend-cpu), single thread, median of interleaved runs");
  log("speedup vs tfjs = tfjs median ms / this row's median ms (higher is better for tsnpu)");
  log(line(header));
  log("| " + widths.map((w, i) => (i >= 3 ? "-".repeat(w - 1) + ":" : "-".repeat(w))).join(" | ") + " |");
  let last = "";
  for (const r of rows) {
    if (last && r[0] !== last) log("|" + widths.map((w) => " ".repeat(w + 2)).join("|") + "|");
    last = r[0]!;
    log(line(r));
  }
  return all;
}
