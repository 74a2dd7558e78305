// A/B of two builds of the wasm kernels: a baseline module (any earlier build) against the
// package's current build, each in its own WasmRuntime in one process, called directly with
// the same data, in alternating batches; the ratio is the median of the per-round ratios. The
// two outputs must be bit-identical before timing. Both modules run under the current JS side
// (src/runtime/), so this compares changes inside assembly/ that keep the plan layout.
//
// Run (repository root):
//   pnpm bench wasm-ab --base-ref=HEAD [--threads=2] [--shapes=A,B]
// builds the kernels of git ref HEAD (its assembly/, with the current build flags) into a
// temporary directory and compares them with the current build (uncommitted edits included:
// the root `pnpm bench` rebuilds first). `--base=DIR` takes an existing build
// instead: a directory with tsnpu-kernels.wasm and tsnpu-kernels-st.wasm.

import { execSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { WasmRuntime } from "@tsnpu/backend-wasm";
import { batchRatios, formatTable, median, sleep } from "./measure.js";
import { SHAPES, outputSize, seededProblem, type ConvShape } from "./shapes.js";
import { geometryOf } from "./wasm-scaling.js";

export interface WasmAbOptions {
  /** Directory with the baseline's tsnpu-kernels.wasm and tsnpu-kernels-st.wasm. */
  readonly base: string;
  readonly threads: number;
  readonly labels: readonly string[];
}

const PACKAGE = fileURLToPath(new URL("../../../packages/backend-wasm/", import.meta.url));

/**
 * Compiles git ref `ref`'s packages/backend-wasm/assembly with the package's current
 * build:wasm command into a temporary directory; returns the directory of the two modules.
 */
export function buildBaseline(ref: string): string {
  const dir = mkdtempSync(join(tmpdir(), "tsnpu-wasm-base-"));
  execSync(`git archive ${JSON.stringify(ref)} assembly | tar -x -C ${JSON.stringify(dir)}`, { cwd: PACKAGE, stdio: ["ignore", "ignore", "inherit"] });
  const { scripts } = JSON.parse(readFileSync(join(PACKAGE, "package.json"), "utf8")) as { scripts: Record<string, string> };
  const bin = join(PACKAGE, "node_modules", ".bin");
  execSync(scripts["build:wasm"]!, { cwd: dir, stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });
  return join(dir, "build");
}

/** Timed calls per batch; batches of the two builds alternate, ROUNDS times. */
const BATCH = 8;
const ROUNDS = 30;

/** A call of shape `s` on `rt`, and a copy of its output. */
function prepare(rt: WasmRuntime, s: ConvShape): { call: () => void; output: () => Uint16Array } {
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

export async function runWasmAbBench(options: WasmAbOptions, log: (line: string) => void = console.log): Promise<void> {
  const { base, threads, labels } = options;
  const runtimes = [
    await WasmRuntime.create({ numThreads: threads, wasm: `${base}/tsnpu-kernels.wasm`, wasmSingleThread: `${base}/tsnpu-kernels-st.wasm` }),
    await WasmRuntime.create({ numThreads: threads }),
  ];
  const rows: string[][] = [];
  try {
    for (const s of SHAPES.filter((x) => labels.includes(x.label))) {
      const [a, b] = runtimes.map((rt) => prepare(rt, s));
      a!.call();
      b!.call();
      const [outA, outB] = [a!.output(), b!.output()];
      if (outA.some((v, i) => v !== outB[i])) throw new Error(`shape ${s.label}: the two builds' outputs differ`);
      const calls = [a!.call, b!.call];
      for (const call of calls) {
        const until = performance.now() + 300;
        while (performance.now() < until) call();
      }
      const times: number[][] = [[], []];
      for (let round = 0; round < ROUNDS; round++) {
        for (const i of [0, 1]) {
          await sleep(threads > 1 ? 15 : 3); // a multi-thread pool spins ~10 ms after a call
          for (let j = 0; j < 3; j++) calls[i]!();
          for (let j = 0; j < BATCH; j++) {
            const t0 = performance.now();
            calls[i]!();
            times[i]!.push((performance.now() - t0) * 1000);
          }
        }
      }
      rows.push([s.label, median(times[0]!).toFixed(1), median(times[1]!).toFixed(1), median(batchRatios(times[0]!, times[1]!, BATCH)).toFixed(3) + "x"]);
    }
  } finally {
    for (const rt of runtimes) rt.dispose();
  }
  log(`wasm kernels, baseline build (${base}) vs current build, ${threads} thread(s), kernel alone, median µs; outputs bit-identical`);
  log(formatTable(["shape", "baseline", "current", "baseline/current (median of per-round ratios)"], rows, 1));
}
