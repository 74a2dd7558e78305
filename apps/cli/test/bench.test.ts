// tsnpu bench on the built CLI, on one small shape and one round: the table, JSON, the SVG chart
// and the argument checks. (No timing is asserted: only that every backend was measured.)
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tsnpu } from "./cli.js";

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
  it("bad --rounds and --shape exit 2 before measuring", () => {
    expect(tsnpu(["bench", "--rounds", "0"]).stderr).toMatch(
      /--rounds must be an integer from 1 to 1000/,
    );
    const r = tsnpu(["bench", "--shape", "1,4,2,2,4,5"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--shape: npu_quant_conv2d/);
  });
});
