// tsnpu quantize on the built CLI: the MNIST CNN calibrated on a few drawn digits (the file it
// writes loads back), and the mistakes a user can make (no -o, an empty folder, a wrong method).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pngjs from "pngjs";
import { loadQuantized } from "tsnpu/quantization";
import { describe, expect, it } from "vitest";
import { tsnpu } from "./cli.js";

const repo = fileURLToPath(new URL("../../../", import.meta.url));
const MNIST = join(repo, "packages/models/assets/mnist-cnn.onnx");
const dir = mkdtempSync(join(tmpdir(), "tsnpu-cli-quantize-"));
const digits = join(dir, "digits");
const empty = join(dir, "empty");
mkdirSync(digits);
mkdirSync(empty);
writeFileSync(join(empty, "notes.txt"), "not an image");
// Three vertical strokes at different places, white ink on black.
for (const left of [8, 12, 16]) {
  const png = new pngjs.PNG({ width: 28, height: 28 });
  for (let i = 0; i < 28 * 28; i++) {
    const x = i % 28;
    const y = Math.floor(i / 28);
    const v = x >= left && x <= left + 3 && y >= 4 && y <= 23 ? 255 : 0;
    png.data.set([v, v, v, 255], i * 4);
  }
  writeFileSync(join(digits, `stroke-${left}.png`), pngjs.PNG.sync.write(png));
}

describe("quantize", () => {
  it("quantizes the MNIST CNN on a folder of digits; loadQuantized reads the file", () => {
    const out = join(dir, "mnist-int8.safetensors");
    const r = tsnpu([
      "quantize",
      MNIST,
      "--calib",
      digits,
      "--input-shape",
      "1,1,28,28",
      "--method",
      "percentile",
      "-o",
      out,
    ]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /int8: 4 of 4 conv layers \(activation percentile.*3 calibration batches\)/,
    );
    expect(r.stdout).toContain(`wrote ${out}`);
    expect(existsSync(out)).toBe(true);
    const model = loadQuantized(new Uint8Array(readFileSync(out)));
    expect(model.constructor.name).toBe("OnnxModule");
  }, 60_000);

  it("exits 2 without -o", () => {
    const r = tsnpu(["quantize", MNIST, "--calib", digits]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/-o\/--output is required/);
  });

  it("exits 2 on a folder with no images, naming it", () => {
    const r = tsnpu(["quantize", MNIST, "--calib", empty, "-o", join(dir, "x.safetensors")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--calib ${empty} holds no images`);
    expect(existsSync(join(dir, "x.safetensors"))).toBe(false);
  });

  it("exits 2 on an unknown --method, with a hint", () => {
    const r = tsnpu(["quantize", MNIST, "--calib", digits, "--method", "mimmax", "-o", "x"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--method must be one of minmax, percentile, mse, got "mimmax"/);
    expect(r.stderr).toMatch(/did you mean minmax\?/);
  });
});
