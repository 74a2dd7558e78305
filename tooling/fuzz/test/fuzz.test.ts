// The CI sample of `pnpm fuzz`: 500 cases on every backend, eager and compiled, must give no
// mismatch and no error; plus the fuzzer's own machinery (it finds a planted bug, shrinks and
// replays it; bad flags give typed errors).

import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ArgumentError } from "@tsnpu/tensor";
import { generateCase } from "../src/cases.js";
import { parseCommand } from "../src/cli.js";
import { describeFailure, fuzz, replay } from "../src/fuzz.js";
import { startTargets, stopTargets, type Target } from "../src/targets.js";

const SAMPLE_SEED = 1202;

let targets: Target[];
beforeAll(async () => {
  targets = await startTargets();
});
afterAll(() => stopTargets());

describe("the CI sample", () => {
  it("500 cases: no mismatch and no error on any backend, eager or compiled", {
    timeout: 600_000,
  }, async () => {
    const result = await fuzz({ seed: SAMPLE_SEED, cases: 500, targets });
    expect(result.failures.flatMap(describeFailure)).toEqual([]);
    expect(result.tallies).toHaveLength(targets.length * 2);
    for (const t of result.tallies) {
      expect(t.cases).toBe(500);
      expect(t.ok + t.refused).toBe(500);
    }
    // The sample reaches the product refusals (Atlas inference series, Wo = 1).
    expect(result.tallies.find((t) => t.target.includes("310P"))!.refused).toBeGreaterThan(0);
  });
});

describe("the fuzzer finds, shrinks and replays a planted bug", () => {
  // cpu with one wrong bit in the float16 low mantissa of every output: a backend bug that
  // only conv cases show.
  const plantBug = (t: Target): Target => ({
    ...t,
    name: "cpu (planted bug)",
    adjust: (bits) => bits.map((b) => b ^ 1),
  });

  it("reports the failure with a minimal case and the commands that replay it", {
    timeout: 120_000,
  }, async () => {
    const buggy = [plantBug(targets[0]!)];
    const result = await fuzz({ seed: SAMPLE_SEED, cases: 20, targets: buggy, shrinkFirst: 1 });
    expect(result.failures.length).toBeGreaterThan(0);
    const first = result.failures[0]!;
    expect(first.runs.map((r) => `${r.target} ${r.mode} ${r.verdict}`)).toEqual([
      "cpu (planted bug) eager mismatch",
      "cpu (planted bug) compiled mismatch",
    ]);
    expect(first.minimal).toBeDefined();
    const minimal = first.minimal!;
    expect(minimal.kind).not.toBe("trans-quant-param");
    if (minimal.kind !== "trans-quant-param") {
      // Shrunk to one output channel, one input channel, one batch.
      expect([minimal.g.n, minimal.g.cin, minimal.g.cout]).toEqual([1, 1, 1]);
    }
    const lines = describeFailure(first);
    expect(lines).toContain(`  replay:  pnpm fuzz --replay ${SAMPLE_SEED}:${first.index}`);
    const file = /pnpm fuzz --case (\S+)/.exec(lines.join("\n"))![1]!;
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual(minimal);
    // Replaying the seed:index regenerates the same case and fails the same way.
    expect(replay(generateCase(SAMPLE_SEED, first.index), buggy).failures.length).toBeGreaterThan(
      0,
    );
    expect(replay(minimal, buggy).failures.length).toBeGreaterThan(0);
  });
});

describe("command line", () => {
  it("parses runs and replays", () => {
    expect(parseCommand([])).toEqual({ kind: "run", seed: 20261202, cases: 10_000 });
    expect(parseCommand(["--cases", "500", "--seed", "7"])).toEqual({
      kind: "run",
      seed: 7,
      cases: 500,
    });
    expect(parseCommand(["--replay", "7:42"])).toEqual({ kind: "replay", seed: 7, index: 42 });
    expect(parseCommand(["--case", "/tmp/x.json"])).toEqual({ kind: "case", file: "/tmp/x.json" });
  });

  it.each([
    [["--frobnicate"], /flags/],
    [["--cases", "ten"], /--cases/],
    [["--cases", "0"], /--cases/],
    [["--replay", "7"], /--replay/],
    [["--replay", "7:1", "--cases", "5"], /--replay/],
    [["extra"], /flags/],
  ])("%j throws an ArgumentError naming the flag", (argv, flag) => {
    expect(() => parseCommand(argv)).toThrow(ArgumentError);
    expect(() => parseCommand(argv)).toThrow(flag);
  });
});
