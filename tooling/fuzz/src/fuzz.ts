// The fuzz loop: every case on every target in both modes, tallied per target and mode; failures
// are shrunk to a small case and reported with the command that replays them.

import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeCase, generateCase, type FuzzCase } from "./cases.js";
import { expectedResult } from "./expected.js";
import { check, cpuOracle, judge } from "./judge.js";
import { MODES, runCase, type Mode } from "./run.js";
import { shrink } from "./shrink.js";
import type { Target } from "./targets.js";

export interface Tally {
  readonly target: string;
  readonly mode: Mode;
  cases: number;
  ok: number;
  refused: number;
  mismatches: number;
  errors: number;
  ms: number;
}

/** One (backend, mode) a case failed on. */
export interface FailedRun {
  readonly target: string;
  readonly mode: Mode;
  readonly verdict: "mismatch" | "error";
  readonly detail: string;
}

/** A case that failed somewhere. */
export interface Failure {
  readonly seed: number;
  readonly index: number;
  readonly runs: FailedRun[];
  /** The case shrunk against its first failed run (only for the first few failing cases: shrinking reruns the case many times). */
  readonly minimal?: FuzzCase;
}

export interface FuzzOptions {
  readonly seed: number;
  /** Cases to run (after `include`). */
  readonly cases: number;
  readonly targets: readonly Target[];
  /** Cases this run leaves out (each exclusion needs a comment saying why). */
  readonly include?: (c: FuzzCase) => boolean;
  /** How many failing cases are shrunk (default 3). */
  readonly shrinkFirst?: number;
  /** Called every 500 cases. */
  readonly progress?: (done: number) => void;
}

export interface FuzzResult {
  readonly tallies: Tally[];
  readonly failures: Failure[];
  readonly ms: number;
}

/** Lets wasm storage finalizers run: they never do inside a synchronous loop. */
const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function fuzz(options: FuzzOptions): Promise<FuzzResult> {
  const { seed, targets } = options;
  const start = performance.now();
  const tallies = new Map<string, Tally>();
  for (const t of targets)
    for (const mode of MODES)
      tallies.set(`${t.name}|${mode}`, {
        target: t.name,
        mode,
        cases: 0,
        ok: 0,
        refused: 0,
        mismatches: 0,
        errors: 0,
        ms: 0,
      });
  const failures: Failure[] = [];
  let done = 0;
  for (let index = 0; done < options.cases; index++) {
    const c = generateCase(seed, index);
    if (options.include && !options.include(c)) continue;
    const reference = expectedResult(c);
    let oracle: Uint16Array | BigInt64Array | null = null;
    const failed: { target: Target; run: FailedRun }[] = [];
    for (const target of targets) {
      if (target.oracle === "cpu") oracle ??= cpuOracle(c, targets[0]!, reference);
      for (const mode of MODES) {
        const tally = tallies.get(`${target.name}|${mode}`)!;
        const t0 = performance.now();
        const outcome = runCase(c, target, mode);
        tally.ms += performance.now() - t0;
        const { verdict, detail } = judge(
          c,
          target,
          outcome,
          target.oracle === "reference" ? reference : oracle!,
        );
        tally.cases++;
        if (verdict === "ok") tally.ok++;
        else if (verdict === "refused") tally.refused++;
        else {
          if (verdict === "mismatch") tally.mismatches++;
          else tally.errors++;
          failed.push({ target, run: { target: target.name, mode, verdict, detail } });
        }
      }
    }
    if (failed.length > 0) {
      const { target, run } = failed[0]!;
      const shrinkIt = failures.length < (options.shrinkFirst ?? 3);
      failures.push({
        seed,
        index,
        runs: failed.map((f) => f.run),
        ...(shrinkIt ? { minimal: shrinkFailure(c, targets, target, run.mode) } : {}),
      });
    }
    done++;
    if (done % 25 === 0) await breathe();
    if (done % 500 === 0) options.progress?.(done);
  }
  return { tallies: [...tallies.values()], failures, ms: performance.now() - start };
}

/** `c` shrunk to the smallest variant that still fails on `target` in `mode`. */
function shrinkFailure(
  c: FuzzCase,
  targets: readonly Target[],
  target: Target,
  mode: Mode,
): FuzzCase {
  return shrink(c, (candidate) => {
    const v = check(candidate, targets, target, mode).verdict;
    return v === "mismatch" || v === "error";
  });
}

/**
 * Runs one case on every target and mode: the lines of a replay report, and the failed runs.
 * When a run fails, the report ends with the case shrunk against the first one.
 */
export function replay(
  c: FuzzCase,
  targets: readonly Target[],
): { lines: string[]; failures: { target: Target; mode: Mode }[] } {
  const lines = [describeCase(c)];
  const failures: { target: Target; mode: Mode }[] = [];
  for (const target of targets) {
    for (const mode of MODES) {
      const j = check(c, targets, target, mode);
      lines.push(
        `  ${target.name.padEnd(20)} ${mode.padEnd(8)} ${j.verdict}${j.detail ? `: ${j.detail}` : ""}`,
      );
      if (j.verdict === "mismatch" || j.verdict === "error") failures.push({ target, mode });
    }
  }
  lines.push(`  ${JSON.stringify(c)}`);
  const first = failures[0];
  if (first) {
    const minimal = shrinkFailure(c, targets, first.target, first.mode);
    if (JSON.stringify(minimal) !== JSON.stringify(c)) {
      lines.push(
        `minimal (${first.target.name} ${first.mode}): ${describeCase(minimal)}`,
        `  replay the minimal case: pnpm fuzz --case ${saveCase(minimal, "replay-minimal")}`,
        `  ${JSON.stringify(minimal)}`,
      );
    }
  }
  return { lines, failures };
}

/** Writes a case to a JSON file in the temp folder and returns its path. */
export function saveCase(c: FuzzCase, name: string): string {
  const path = join(tmpdir(), `tsnpu-fuzz-${name}.json`);
  writeFileSync(path, `${JSON.stringify(c)}\n`);
  return path;
}

/** A failing case as the lines to print: where it failed, the minimal case and the commands to replay. */
export function describeFailure(f: Failure): string[] {
  const lines = [
    `FAIL case ${f.seed}:${f.index} on ${f.runs.length} run(s)`,
    ...f.runs.map((r) => `  ${r.target} ${r.mode}: ${r.verdict}: ${r.detail}`),
    `  replay:  pnpm fuzz --replay ${f.seed}:${f.index}`,
  ];
  if (f.minimal) {
    const path = saveCase(f.minimal, `${f.seed}-${f.index}-minimal`);
    lines.push(
      `  minimal: ${describeCase(f.minimal)}`,
      `  replay the minimal case: pnpm fuzz --case ${path}`,
      `  ${JSON.stringify(f.minimal)}`,
    );
  }
  return lines;
}

/** The table: backend x mode, cases, ok, refused, mismatches, errors, time. */
export function formatTable(tallies: readonly Tally[]): string {
  const header = ["backend", "mode", "cases", "ok", "refused", "mismatches", "errors", "time"];
  const rows = tallies.map((t) =>
    [
      t.target,
      t.mode,
      t.cases,
      t.ok,
      t.refused,
      t.mismatches,
      t.errors,
      `${(t.ms / 1000).toFixed(1)} s`,
    ].map(String),
  );
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    `| ${cells.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join(" | ")} |`;
  return [
    line(header),
    `|${widths.map((w, i) => (i < 2 ? ` ${"-".repeat(w)} ` : ` ${"-".repeat(w - 1)}: `)).join("|")}|`,
    ...rows.map(line),
  ].join("\n");
}
