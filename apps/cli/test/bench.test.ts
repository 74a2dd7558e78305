// tsnpu bench on the built CLI, on one small shape and one round: the table, JSON, the SVG chart
// and the argument checks. (No timing is asserted: only that every backend was measured.)
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hasScript, tsnpu, tsnpuOnTty } from "./cli.js";

const SMALL = ["--shape", "1,8,12,12,16,3,1,1", "--rounds", "1"];

describe("bench", () => {
  it("a table with every backend and the modelled npu time; an SVG chart with a bar each", () => {
    const svg = join(mkdtempSync(join(tmpdir(), "tsnpu-cli-bench-")), "bench.svg");
    const r = tsnpu(["bench", ...SMALL, "--svg", svg]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(""); // no progress when stderr is not a terminal
    expect(r.stdout).toMatch(/cpu ms +wasm 1 thread ms +wasm 2 threads ms/);
    expect(r.stdout).toMatch(
      /\n1,8,12,12,16,3,1,1,1 +0\.2 +[\d.]+ +[\d.]+ +[\d.]+ +[\d.]+x +[\d.]+\n/,
    );
    const chart = readFileSync(svg, "utf8");
    expect(chart).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(chart.match(/<rect class="bar"/g)).toHaveLength(3);
    expect(chart).toMatch(/wasm 2 threads/);
    // wide enough for its title (13 px bold, ~0.6 em a character), so it is not cut off
    const title = /<title>([^<]*)<\/title>/.exec(chart)![1]!;
    expect(Number(/width="(\d+)"/.exec(chart)![1])).toBeGreaterThan(60 + title.length * 7.5);
  }, 120_000);
  it("--json: medians per backend", () => {
    const r = tsnpu(["bench", ...SMALL, "--json"]);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.contenders).toEqual(["cpu", "wasm 1 thread", "wasm 2 threads"]);
    expect(json.rows[0].ms).toHaveLength(3);
    expect(json.rows[0].ms.every((ms: number) => ms > 0)).toBe(true);
    expect(json.rows[0].npuModelledUs).toBeGreaterThan(0);
  }, 120_000);
  it.skipIf(!hasScript)(
    "a progress bar per round on a terminal, none when piped",
    () => {
      const tty = tsnpuOnTty(["bench", "--shape", "1,8,12,12,16,3,1,1", "--rounds", "2"]);
      expect(tty.code).toBe(0);
      expect(tty.stdout).toMatch(/\[-{24}\] 0\/2 1,8,12,12,16,3,1,1,1 round 1\/2/);
      expect(tty.stdout).toMatch(/\[#{12}-{12}\] 1\/2 1,8,12,12,16,3,1,1,1 round 2\/2/);
      expect(tty.stdout).toMatch(/\[#{24}\] 2\/2/);
    },
    120_000,
  );
  it("bad --rounds and --shape exit 2 before measuring", () => {
    expect(tsnpu(["bench", "--rounds", "0"]).stderr).toMatch(
      /--rounds must be an integer from 1 to 1000, got "0"\n {2}e\.g\. --rounds 5/,
    );
    expect(tsnpu(["bench", "--rounds", "2.5"]).code).toBe(2);
    const r = tsnpu(["bench", "--shape", "1,4,2,2,4,5"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--shape: npu_quant_conv2d/);
  });
});
