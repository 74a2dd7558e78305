import "@tsnpu/backend-cpu";
import { float16, float32, manualSeed, randn, type Tensor } from "@tsnpu/tensor";
import { describe, expect, it } from "vitest";
import { quantize } from "../src/index.js";
import { compareOutputs } from "../src/report.js";
import { batches, residualStreamOnnx, sharedInputOnnx } from "./models.js";

const floats = (t: Tensor) => t.to(float32).toTypedArray() as Float32Array;

describe("equalization of a float16 depthwise conv into the int8 pointwise conv reading it", () => {
  it("keeps a conv whose input has one channel 300 times wider than the rest at cosine >= 0.999", async () => {
    manualSeed(7);
    const float = await sharedInputOnnx(300);
    const x = randn([1, 4, 8, 8]);
    const { model, report } = await quantize(float, batches(8, [1, 4, 8, 8]), { heldOut: x });
    const head = report.layers.find((l) => l.name === "head")!;
    expect(head.status).toBe("int8");
    expect(head.cosine).toBeGreaterThanOrEqual(0.999);
    // The divided depthwise output and the widened pointwise weights give the float network back.
    const got = compareOutputs(floats(float.forward(x)), floats(model.forward(x.to(float16))));
    expect(got.cosine).toBeGreaterThanOrEqual(0.999);
  });
});

describe("equalization through a residual stream (ReLU, Add, MaxPool, zero channel padding)", () => {
  it("finds the stream, rescales it exactly and lifts the head reading it", async () => {
    manualSeed(11);
    const x = randn([1, 3, 8, 8]);
    const calibration = batches(8, [1, 3, 8, 8]);
    const float = await residualStreamOnnx(300);
    const { model, report } = await quantize(float, calibration, { heldOut: x });
    const head = report.layers.find((l) => l.name === "head")!;
    expect(head.status).toBe("int8");
    expect(head.rewrite).toMatch(/equalized through ReLU\/Add\/MaxPool \[assume\]/);
    expect(report.layers.find((l) => l.name === "node_p")!.rewrite).toMatch(/stream/);
    expect(head.cosine).toBeGreaterThanOrEqual(0.999);
    const got = compareOutputs(floats(float.forward(x)), floats(model.forward(x.to(float16))));
    expect(got.cosine).toBeGreaterThanOrEqual(0.999);
  });

  it("leaves a stream alone when no int8 conv reads it", async () => {
    manualSeed(11);
    const { report } = await quantize(await sharedInputOnnx(), batches(4, [1, 4, 8, 8]));
    expect(report.layers.some((l) => /stream|through/.test(l.rewrite ?? ""))).toBe(false);
  });
});
