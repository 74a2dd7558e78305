// Build step: quantizes the MNIST CNN and BlazeFace front once, in Node, and writes them as
// safetensors (saveQuantized) into src/generated/, which the page imports as assets. Done here
// rather than in the page: calibrating BlazeFace on the photos' views takes seconds of cpu,
// the page would pay it on every load, and the test needs the same int8 weights every time.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { blazeFaceData, loadBlazeFaceFront } from "@tsnpu/eval/src/blazeface-eval.ts";
import { mnistTrainSet, spread } from "@tsnpu/eval/src/mnist-data.ts";
import { MNIST_CNN, mnistCnnBytes, mnistInput } from "tsnpu/models";
import { loadOnnx } from "tsnpu/onnx";
import { quantize, saveQuantized } from "tsnpu/quantization";

const out = new URL("../src/generated/", import.meta.url);
mkdirSync(out, { recursive: true });

/** Calibration digits (training split, every class), one per batch: the page runs batch 1. */
const MNIST_CALIBRATION_DIGITS = 64;

async function mnist(): Promise<void> {
  const model = await loadOnnx(await mnistCnnBytes(), {
    inputShapes: { [MNIST_CNN.input]: [1, 1, 28, 28] },
  });
  const digits = spread(mnistTrainSet(), MNIST_CALIBRATION_DIGITS);
  const batches = Array.from({ length: MNIST_CALIBRATION_DIGITS }, (_, i) =>
    mnistInput(digits.pixels.subarray(i * 784, (i + 1) * 784)),
  );
  const { model: int8 } = await quantize(model, batches);
  writeFileSync(new URL("mnist-int8.safetensors", out), saveQuantized(int8));
}

async function blazeFace(): Promise<void> {
  const { calibration } = blazeFaceData(); // astronaut.png is never calibrated on
  const { model: int8 } = await quantize(
    await loadBlazeFaceFront(),
    calibration.map((v) => v.input),
  );
  writeFileSync(new URL("blazeface-front-int8.safetensors", out), saveQuantized(int8));
}

const files = ["mnist-int8.safetensors", "blazeface-front-int8.safetensors"];
// Generated once per checkout (gitignored); --force regenerates them.
if (!process.argv.includes("--force") && files.every((f) => existsSync(new URL(f, out)))) {
  console.log("web-demo: src/generated/ is up (pnpm models --force regenerates it)");
  process.exit(0);
}
const t0 = performance.now();
await mnist();
await blazeFace();
console.log(
  `web-demo: quantized models written to src/generated/ in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
);
