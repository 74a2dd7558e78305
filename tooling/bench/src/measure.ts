// Side-by-side timing: contenders run interleaved, round after round, so a noisy neighbour
// slows every row alike; medians are reported and compared as ratios.

import type { ConvShape } from "./shapes.js";

/** A prepared run: inputs made once, `run` is what gets timed. */
export interface PreparedRun {
  run(): void;
  dispose?(): void;
}

export interface Contender {
  readonly name: string;
  prepare(shape: ConvShape): PreparedRun;
}

export interface Measurement {
  readonly shape: ConvShape;
  readonly contender: string;
  readonly medianMs: number;
  readonly runs: number;
}

export const sleep = (ms: number) => new Promise<void>((res) => setTimeout(res, ms));

export const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/**
 * For two contenders timed in alternating batches of `batch` calls (per-call samples, batch
 * after batch): a's batch median / b's batch median, round by round. Each ratio compares calls
 * made moments apart, so a noisy spell on the shared host lands on both sides of it.
 */
export function batchRatios(a: readonly number[], b: readonly number[], batch: number): number[] {
  const rounds = Math.floor(Math.min(a.length, b.length) / batch);
  return Array.from({ length: rounds }, (_, r) =>
    median(a.slice(r * batch, (r + 1) * batch)) / median(b.slice(r * batch, (r + 1) * batch)));
}

/**
 * Times every contender on one shape: two warm-up runs each, then rounds in which each
 * contender runs once, until `budgetMs` is spent (at least `minRounds`, at most `maxRounds`).
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

/** A markdown table; columns from `numericFrom` on are right-aligned. */
export function formatTable(header: readonly string[], rows: readonly string[][], numericFrom: number): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: readonly string[]) => "| " + r.map((c, i) => (i >= numericFrom ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(" | ") + " |";
  const rule = "| " + widths.map((w, i) => (i >= numericFrom ? "-".repeat(w - 1) + ":" : "-".repeat(w))).join(" | ") + " |";
  return [line(header), rule, ...rows.map(line)].join("\n");
}
