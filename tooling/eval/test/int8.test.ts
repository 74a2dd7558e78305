// The int8 side on the cpu (pnpm eval adds wasm and npu and the other activation methods).
import { describe, expect, it } from "vitest";
import {
  blazeFaceData,
  evaluateBlazeFaceInt8,
  findFaces,
  loadBlazeFaceFront,
} from "../src/blazeface-eval.js";
import { readyDevices } from "../src/devices.js";
import { mnistTestSet, spread } from "../src/mnist-data.js";
import { MNIST_BATCH, evaluateMnistFloat, evaluateMnistInt8 } from "../src/mnist-eval.js";

describe("int8 vs float32 (minmax, cpu)", () => {
  it("MNIST: int8 top-1 within 0.5 points of float32 on 668 held-out digits; every conv int8", async () => {
    await readyDevices();
    const digits = spread(mnistTestSet(), 4 * MNIST_BATCH);
    const float = await evaluateMnistFloat(digits);
    const int8 = await evaluateMnistInt8("minmax", ["cpu"], digits);
    expect(Math.abs(int8.top1.cpu! - float.tsnpuTop1)).toBeLessThanOrEqual(0.005);
    expect(int8.report.quantized).toHaveLength(4);
  }, 300_000);

  it("BlazeFace: every float face is found by int8 with IoU >= 0.9, and no other face; every int8 layer's cosine >= 0.99", async () => {
    const data = blazeFaceData();
    const model = await loadBlazeFaceFront();
    const floatFaces = data.evaluation.map((v) => findFaces((x) => model.run(x), v, "cpu"));
    const r = await evaluateBlazeFaceInt8(data, floatFaces, "minmax", ["cpu"]);
    const matches = r.views.flatMap((v) => v.matches);
    expect(matches).toHaveLength(2);
    for (const m of matches) expect(m.iou).toBeGreaterThanOrEqual(0.9);
    for (const v of r.views) expect(v.unmatchedInt8Faces, v.view).toBe(0);
    for (const l of r.report.quantized) expect(l.cosine, l.name).toBeGreaterThanOrEqual(0.99);
  }, 300_000);
});
