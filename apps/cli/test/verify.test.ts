// tsnpu verify on the built CLI: all vectors pass on every backend; a corrupted vector (in a copy
// of the built CLI) makes it exit 1 and name the case.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { tsnpu } from "./cli.js";

const app = fileURLToPath(new URL("../", import.meta.url));

describe("verify", () => {
  it("every vector on every backend: a table, exit 0", () => {
    const r = tsnpu(["verify"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    for (const backend of [
      "cpu",
      "wasm \\(1 thread\\)",
      "wasm \\(2 threads\\)",
      "npu:0 Ascend910B",
      "npu:1 Ascend910_93",
    ])
      expect(r.stdout).toMatch(
        new RegExp(`\\n${backend} +(\\d+)/\\1 +36/36 +5/5 +1/1 +1/1 +ok\\n`),
      );
    // The 310P refuses 12 quant_conv2d checks (its load unit) and the axis -2 npu_quantize
    // vector, eager and traced (axis -2 is Atlas A2/A3 only).
    expect(r.stdout).toMatch(
      /\nnpu:2 Ascend310P +(\d+)\/\1 \(\d+ refused\) +36\/36 \(2 refused\) +5\/5 +1\/1 +1\/1 +ok\n/,
    );
    expect(r.stdout).toMatch(/every vector matches bit for bit/);
  }, 120_000);
  it("--device and --json select and report", () => {
    const r = tsnpu(["verify", "--device=cpu", "--json"]);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.ok).toBe(true);
    expect(json.backends.map((b: { backend: string }) => b.backend)).toEqual(["cpu"]);
  });

  // A copy inside apps/cli, so that it still finds the CLI's node_modules.
  const copy = join(app, "test-output", "corrupt");
  afterAll(() => rmSync(join(app, "test-output"), { recursive: true, force: true }));
  it("exits 1 on a mismatch and names the case", () => {
    mkdirSync(copy, { recursive: true });
    for (const dir of ["dist", "vectors"])
      cpSync(join(app, dir), join(copy, dir), { recursive: true });
    cpSync(join(app, "package.json"), join(copy, "package.json"));
    const file = join(copy, "vectors", "quant_conv2d", "pointwise.json");
    const vector = JSON.parse(readFileSync(file, "utf8"));
    const bits = Buffer.from(vector.expected.bits_b64, "base64");
    bits[0]! ^= 1; // the lowest bit of the first output
    vector.expected.bits_b64 = bits.toString("base64");
    writeFileSync(file, JSON.stringify(vector));
    // and one npu_quantize output: the element 0 of an int8 vector, off by one
    const qfile = join(copy, "vectors", "npu_quantize", "axis0.json");
    const q = JSON.parse(readFileSync(qfile, "utf8"));
    const qbytes = Buffer.from(q.expected.data_b64, "base64");
    qbytes[0]! ^= 1;
    q.expected.data_b64 = qbytes.toString("base64");
    writeFileSync(qfile, JSON.stringify(q));
    const r = tsnpu(["verify", "--device", "cpu"], {}, join(copy, "dist", "main.js"));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/cpu +81\/84 +34\/36 .*MISMATCH/);
    expect(r.stdout).toMatch(/cpu npu_quantize axis0 eager: first at 0: got -?\d+, expected/);
    expect(r.stdout).toMatch(/cpu npu_quantize axis0 graph: first at 0/);
    expect(r.stdout).toMatch(
      /cpu quant_conv2d pointwise QuantConv2d: .*first at 0: got 0x[0-9a-f]+, expected/,
    );
  });
});
