// A/B of two builds of the wasm kernels: a baseline module (any earlier build) against the
// package's current build, each in its own WasmRuntime in one process, called directly with
// the same data, in alternating batches; the ratio is the median of the per-round ratios. The
// two outputs must be bit-identical before timing. Both modules run under the current JS side
// (src/runtime/), so this compares changes inside assembly/ that keep the ABI (src/abi.ts): a
// baseline built from another ABI, or from before the module exported it, is refused at start-up.
//
// Run (repository root):
//   pnpm bench wasm-ab --base-ref=HEAD [--threads=2] [--shapes=A,B]
// builds the kernels of git ref HEAD (its assembly/ and src/abi.ts, with the current build
// flags) into a temporary directory and compares them with the current build (uncommitted
// edits included: the root `pnpm bench` rebuilds first). `--base=DIR` takes an existing build
// instead: a directory with tsnpu-kernels.wasm and tsnpu-kernels-st.wasm.

import { execSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { WasmRuntime } from "@tsnpu/backend-wasm";
import { formatTable, timeSideBySide } from "./measure.js";
import { SHAPES } from "./shapes.js";
import { prepareKernelCall } from "./kernel-calls.js";

export interface WasmAbOptions {
  /** Directory with the baseline's tsnpu-kernels.wasm and tsnpu-kernels-st.wasm. */
  readonly base: string;
  readonly threads: number;
  readonly labels: readonly string[];
}

const PACKAGE = fileURLToPath(new URL("../../../packages/backend-wasm/", import.meta.url));

/**
 * Compiles git ref `ref`'s packages/backend-wasm/assembly (and the src/abi.ts it imports) with
 * the package's current build:wasm command into a temporary directory; returns the directory
 * of the two modules.
 */
export function buildBaseline(ref: string): string {
  const dir = mkdtempSync(join(tmpdir(), "tsnpu-wasm-base-"));
  execSync(`git archive ${JSON.stringify(ref)} assembly src | tar -x -C ${JSON.stringify(dir)}`, {
    cwd: PACKAGE,
    stdio: ["ignore", "ignore", "inherit"],
  });
  const { scripts } = JSON.parse(readFileSync(join(PACKAGE, "package.json"), "utf8")) as {
    scripts: Record<string, string>;
  };
  const bin = join(PACKAGE, "node_modules", ".bin");
  execSync(scripts["build:wasm"]!, {
    cwd: dir,
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
  });
  return join(dir, "wasm");
}

/** Alternating batch rounds per shape. */
const ROUNDS = 30;

export async function runWasmAbBench(
  options: WasmAbOptions,
  log: (line: string) => void = console.log,
): Promise<void> {
  const { base, threads, labels } = options;
  const runtimes = [
    await WasmRuntime.create({
      numThreads: threads,
      wasm: `${base}/tsnpu-kernels.wasm`,
      wasmSingleThread: `${base}/tsnpu-kernels-st.wasm`,
    }),
    await WasmRuntime.create({ numThreads: threads }),
  ];
  const rows: string[][] = [];
  try {
    for (const s of SHAPES.filter((x) => labels.includes(x.label))) {
      const [a, b] = runtimes.map((rt) => prepareKernelCall(rt, s));
      a!.call();
      b!.call();
      const [outA, outB] = [a!.output(), b!.output()];
      if (outA.some((v, i) => v !== outB[i]))
        throw new Error(`shape ${s.label}: the two builds' outputs differ`);
      const { medians, ratio } = await timeSideBySide(
        [a!.call, b!.call],
        ROUNDS,
        threads > 1 ? 15 : 3,
      );
      rows.push([s.label, medians[0].toFixed(1), medians[1].toFixed(1), ratio.toFixed(3) + "x"]);
    }
  } finally {
    for (const rt of runtimes) rt.dispose();
  }
  log(
    `wasm kernels, baseline build (${base}) vs current build, ${threads} thread(s), kernel alone, median µs; outputs bit-identical`,
  );
  log(
    formatTable(
      ["shape", "baseline", "current", "baseline/current (median of per-round ratios)"],
      rows,
      1,
    ),
  );
}
