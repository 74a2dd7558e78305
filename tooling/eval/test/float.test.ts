// The float32 references the int8 figures are compared with.
import { describe, expect, it } from "vitest";
import { MNIST_CNN } from "@tsnpu/models";
import { iou } from "@tsnpu/models";
import {
  CALIBRATION_FACES,
  blazeFaceData,
  findFaces,
  loadBlazeFaceFront,
} from "../src/blazeface-eval.js";
import { evaluateMnistFloat } from "../src/mnist-eval.js";

describe("float32 references", () => {
  it("MNIST: tsnpu's loadOnnx and onnxruntime-web give the same class on every held-out digit", async () => {
    const r = await evaluateMnistFloat();
    expect(r.agreeing).toBe(r.digits);
    expect(r.tsnpuTop1).toBe(r.ortTop1);
    // the figure train.py printed (torch), within one digit
    expect(Math.abs(r.tsnpuTop1 - MNIST_CNN.floatTestTop1) * r.digits).toBeLessThanOrEqual(1);
  }, 300_000);

  it("BlazeFace: one face on astronaut.png and one, mirrored, on its mirror image", async () => {
    const model = await loadBlazeFaceFront();
    const [photo, mirrored] = blazeFaceData().evaluation.map((v) =>
      findFaces((x) => model.run(x), v, "cpu"),
    );
    expect(photo).toHaveLength(1);
    expect(mirrored).toHaveLength(1);
    const centre = (f: { xMin: number; width: number }) => f.xMin + f.width / 2;
    // 512 pixels wide: the mirrored face's centre is 512 - the face's centre
    expect(centre(mirrored![0]!)).toBeCloseTo(512 - centre(photo![0]!), -1);
  }, 120_000);

  it("BlazeFace: the calibration faces are where the float model finds them (whole photo, score > 0.5)", async () => {
    const model = await loadBlazeFaceFront();
    const photos = blazeFaceData().calibration.filter((v) => CALIBRATION_FACES[v.name]);
    expect(photos.map((p) => p.name)).toEqual(Object.keys(CALIBRATION_FACES));
    for (const photo of photos) {
      const { x, y, side } = CALIBRATION_FACES[photo.name]!;
      const faces = findFaces((t) => model.run(t), photo, "cpu");
      expect(faces, photo.name).toHaveLength(1);
      const box = { xMin: x, yMin: y, width: side, height: side, keypoints: [], score: 1 };
      expect(iou(faces[0]!, box)).toBeGreaterThan(0.95);
    }
  }, 120_000);
});
