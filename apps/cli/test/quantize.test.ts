// tsnpu quantize on the built CLI: the MNIST CNN calibrated on a few drawn digits (the file it
// writes loads back), and the mistakes a user can make (no -o, an empty folder, a wrong method).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pngjs from "pngjs";
import { loadQuantized } from "tsnpu/quantization";
import { describe, expect, it } from "vitest";
import { hasScript, tsnpu, tsnpuOnTty } from "./cli.js";

const repo = fileURLToPath(new URL("../../../", import.meta.url));
const MNIST = join(repo, "packages/models/assets/mnist-cnn.onnx");
const dir = mkdtempSync(join(tmpdir(), "tsnpu-cli-quantize-"));
const digits = join(dir, "digits");
const empty = join(dir, "empty");
mkdirSync(digits);
mkdirSync(empty);
writeFileSync(join(empty, "notes.txt"), "not an image");
// Three vertical strokes at different places, white ink on black; the fourth is held out.
const heldOut = join(dir, "held-out.png");
for (const left of [8, 12, 16, 10]) {
  const png = new pngjs.PNG({ width: 28, height: 28 });
  for (let i = 0; i < 28 * 28; i++) {
    const x = i % 28;
    const y = Math.floor(i / 28);
    const v = x >= left && x <= left + 3 && y >= 4 && y <= 23 ? 255 : 0;
    png.data.set([v, v, v, 255], i * 4);
  }
  writeFileSync(
    left === 10 ? heldOut : join(digits, `stroke-${left}.png`),
    pngjs.PNG.sync.write(png),
  );
}
const BASE = ["quantize", MNIST, "--calib", digits, "--input-shape", "1,1,28,28"];

interface Layer {
  status: string;
  inputScale: number;
  inputZeroPoint: number;
  cosine?: number;
}
/** quantize --json with `args`: the parsed output. */
function quantizeJson(args: string[]) {
  const r = tsnpu([...BASE, ...args, "--json", "-o", join(dir, "json.safetensors")]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as {
    model: string;
    calibration: string[];
    heldOut: string | null;
    output: string;
    report: {
      activation: string;
      symmetric: boolean;
      batches: number;
      layers: Layer[];
      worst: string[];
    };
  };
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

  it("--json: the report's toJSON with the model, images and output", () => {
    const json = quantizeJson([]);
    expect(json.model).toBe("mnist-cnn.onnx");
    expect(json.calibration).toEqual(["stroke-12.png", "stroke-16.png", "stroke-8.png"]);
    expect(json.heldOut).toBeNull();
    expect(json.report).toMatchObject({ activation: "minmax", symmetric: false, batches: 3 });
    expect(json.report.layers).toHaveLength(4);
    // no held-out input: no accuracy is claimed
    expect(json.report.layers.every((l) => l.cosine === undefined)).toBe(true);
    expect(json.report.worst).toEqual([]);
  }, 60_000);

  it("--held-out: each int8 layer compared with its float layer on an unseen input", () => {
    const json = quantizeJson(["--held-out", heldOut]);
    expect(json.heldOut).toBe(heldOut);
    for (const l of json.report.layers) expect(l.cosine).toBeGreaterThan(0.99);
    expect(json.report.worst).toHaveLength(3);
    const table = tsnpu([...BASE, "--held-out", heldOut, "-o", join(dir, "t.safetensors")]);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain("cosine and max abs err on the held-out held-out.png");
    expect(table.stdout).toMatch(/\nworst: \/conv/);
  }, 60_000);

  it("--symmetric gives zero points 0; --percentile changes the ranges", () => {
    const symmetric = quantizeJson(["--symmetric"]).report;
    expect(symmetric.symmetric).toBe(true);
    expect(symmetric.layers.map((l) => l.inputZeroPoint)).toEqual([0, 0, 0, 0]);
    expect(quantizeJson([]).report.layers.some((l) => l.inputZeroPoint !== 0)).toBe(true);
    const scale = (p: string) =>
      quantizeJson(["--method", "percentile", "--percentile", p]).report.layers[1]!.inputScale;
    expect(scale("50")).toBeLessThan(scale("100"));
  }, 120_000);

  it("bad --percentile, --held-out and --symmetric values exit 2 with a hint", () => {
    const out = ["-o", join(dir, "bad.safetensors")];
    const cases: [string[], RegExp, RegExp][] = [
      [
        ["--method", "percentile", "--percentile", "0"],
        /--percentile must be a number in \(0, 100\], got "0"/,
        /e\.g\. --percentile 99\.99/,
      ],
      [["--method=percentile", "--percentile=101"], /got "101"/, /e\.g\./],
      [["--method", "percentile", "--percentile", "abc"], /got "abc"/, /e\.g\./],
      [
        ["--percentile", "99"],
        /--percentile applies to --method percentile only/,
        /add --method percentile/,
      ],
      [
        ["--held-out", join(dir, "missing.png")],
        /--held-out: cannot read .*missing\.png/,
        /run "tsnpu quantize --help"/,
      ],
      [
        ["--held-out", join(dir, "x.txt")],
        /--held-out must be a \.png, \.jpg\/\.jpeg, \.npy or \.json file/,
        /--help/,
      ],
      [["--symmetric=yes"], /--symmetric takes no value/, /--help/],
      [
        ["--held-out", join(digits, "stroke-8.png")],
        /--held-out .*stroke-8\.png is one of the --calib images/,
        /move it out of the folder/,
      ],
      [["--percentile"], /--percentile needs a value \(P\)/, /--help/],
    ];
    for (const [args, message, hint] of cases) {
      const r = tsnpu([...BASE, ...args, ...out]);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toMatch(hint);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    expect(existsSync(join(dir, "bad.safetensors"))).toBe(false);
  }, 60_000);

  it.skipIf(!hasScript)(
    "draws a progress bar on a terminal only",
    () => {
      const tty = tsnpuOnTty([...BASE, "-o", join(dir, "tty.safetensors")]);
      expect(tty.code).toBe(0);
      expect(tty.stdout).toMatch(/\[#{8}-{16}\] 1\/3 calibrating on stroke-12/);
      expect(tty.stdout).toMatch(/\[#{24}\] 3\/3 calibrating on stroke-8/);
      // piped (as every other test here): no bar at all
      const piped = tsnpu([...BASE, "-o", join(dir, "piped.safetensors")]);
      expect(piped.stderr).toBe("");
    },
    60_000,
  );

  it("tsnpu run runs the file it wrote, on cpu and on the simulated NPU; profile and check take it", () => {
    const out = join(dir, "run.safetensors");
    expect(tsnpu([...BASE, "-o", out]).code).toBe(0);
    for (const device of ["cpu", "npu"]) {
      const r = tsnpu(["run", out, "--input", heldOut, "--device", device, "--json"]);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout).top[0].index).toBe(1);
    }
    // profile and check take it too: its convs run as QuantConv2d on every product
    const profile = tsnpu(["profile", out, "--soc", "all"]);
    expect(profile.code).toBe(0);
    expect(profile.stdout).toMatch(/QuantConv2d +[\d.]+ +[\d.]+ +[\d.]+\n/);
    expect(tsnpu(["check", out]).stdout).toMatch(/Ascend310P +supported/);
    const bad = join(dir, "bad-model.safetensors");
    writeFileSync(bad, "not safetensors");
    const r = tsnpu(["run", bad, "--input", heldOut]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad-model\.safetensors: not a quantized model/);
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
