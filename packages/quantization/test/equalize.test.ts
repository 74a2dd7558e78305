import "@tsnpu/backend-cpu";
import { float16, float32, manualSeed, randn, type Tensor } from "@tsnpu/tensor";
import { describe, expect, it } from "vitest";
import { quantize } from "../src/index.js";
import { compareOutputs } from "../src/report.js";
import { batches, sharedInputOnnx } from "./models.js";

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
