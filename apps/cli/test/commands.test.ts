// info, check and profile on the built CLI: what they print and when they exit 1.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { MAIN, tsnpu } from "./cli.js";

describe("info", () => {
  it("lists the backends and products", () => {
    const r = tsnpu(["info"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/backends: cpu, npu, wasm/);
    expect(r.stdout).toMatch(/Ascend910B .*24 cores \[doc\]/);
  });
});

describe("check", () => {
  it("reports the refusal per product; exit 0 when one product accepts", () => {
    const r = tsnpu(["check", "--shape", "1,4,8,3,4,3"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Ascend910B +supported \(output 1x4x6x1\)/);
    expect(r.stdout).toMatch(/Ascend310P +refused: .*output W must not be 1/);
  });
  it("exits 1 when every selected product refuses", () => {
    const r = tsnpu(["check", "--shape=1,4,8,3,4,3", "--soc=Ascend310P"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/Ascend310P +refused/);
  });
});

describe("profile", () => {
  it("--shape=... and --soc value forms; JSON with the QuantConv2d op", () => {
    const r = tsnpu(["profile", "--shape=1,16,8,8,16,3,1,1", "--soc", "Ascend910_93", "--json"]);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json).toHaveLength(1);
    expect(json[0].soc).toBe("Ascend910_93");
    expect(json[0].rows.some((o: { op: string }) => o.op === "QuantConv2d")).toBe(true);
  });
  it("a table per product, the refusing product says why; --trace writes a Chrome trace", () => {
    const trace = join(mkdtempSync(join(tmpdir(), "tsnpu-cli-")), "trace.json");
    const r = tsnpu(["profile", "--shape", "1,4,8,3,4,3", "--trace", trace]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/QuantConv2d +Cube +Ascend910B/);
    expect(r.stdout).toMatch(/Ascend310P: refused: [\s\S]*output W must not be 1/);
    const events = JSON.parse(readFileSync(trace, "utf8")).traceEvents;
    const names = events
      .filter((e: { name: string }) => e.name === "process_name")
      .map((e: { args: { name: string } }) => e.args.name);
    expect(names).toEqual(["Ascend910B (simulated)", "Ascend910_93 (simulated)"]);
    expect(
      events.some(
        (e: { args?: { op?: string }; dur?: number }) => e.args?.op === "QuantConv2d" && e.dur! > 0,
      ),
    ).toBe(true);
  });
  it("exits 1 when every product refuses the shape", () => {
    const r = tsnpu(["profile", "--shape", "1,4,8,3,4,3", "--soc", "Ascend310P"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/refused/);
    expect(r.stderr).toBe("");
  });
});

const MNIST = fileURLToPath(
  new URL("../../../packages/models/assets/mnist-cnn.onnx", import.meta.url),
);

describe("check and profile of an ONNX network", () => {
  it("check: every product accepts the MNIST CNN (float16), with its modelled time", () => {
    const r = tsnpu(["check", MNIST, "--input-shape", "1,1,28,28"]);
    expect(r.code).toBe(0);
    for (const soc of ["Ascend910B", "Ascend910_93", "Ascend310P"])
      expect(r.stdout).toMatch(
        new RegExp(`${soc} +supported \\(\\d+ rows, [\\d.]+ us modelled\\)`),
      );
  }, 120_000);
  it("profile: one row per layer, a column per product, totals; JSON and a trace", () => {
    const r = tsnpu(["profile", MNIST, "--input-shape=1,1,28,28", "--soc", "all"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/layer +op +Ascend910B us +Ascend910_93 us +Ascend310P us/);
    expect(r.stdout).toMatch(/\ntotal +[\d.]+ +[\d.]+ +[\d.]+\n/);
    const json = JSON.parse(
      tsnpu(["profile", MNIST, "--input-shape", "1,1,28,28", "--soc", "Ascend310P", "--json"])
        .stdout,
    );
    expect(json.map((p: { soc: string }) => p.soc)).toEqual(["Ascend310P"]);
    expect(json[0].rows.length).toBeGreaterThan(5);
  }, 120_000);
  it("piped into head: stops quietly when the reader goes away (no EPIPE stack trace)", () => {
    const r = spawnSync(
      "sh",
      [
        "-c",
        `"${process.execPath}" "${MAIN}" profile "${MNIST}" --input-shape 1,1,28,28 --json | head -1`,
      ],
      { encoding: "utf8" },
    );
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("[\n");
    expect(r.stderr).toBe("");
  }, 120_000);
  it("--shape and a model together, or neither, are usage errors", () => {
    expect(tsnpu(["profile", MNIST, "--shape", "1,4,8,8,4,3"]).stderr).toMatch(
      /either --shape or <model.onnx>, not both/,
    );
    const r = tsnpu(["check"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--shape is required/);
  });
});
