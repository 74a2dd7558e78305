import { describe, expect, it } from "vitest";
import { calibrationViews, crop, flipX, sampleImages, zoomOut } from "../src/images.js";
import { blazeFaceData, EVALUATION_IMAGE } from "../src/blazeface-eval.js";
import { mnistTestSet, mnistTrainSet, spread } from "../src/mnist-data.js";

describe("the MNIST split (as tooling/models/mnist/train.py makes it)", () => {
  it("2,004 test and 7,996 training digits, the last 20 % of each class held out", () => {
    const test = mnistTestSet();
    const train = mnistTrainSet();
    expect(test.labels.length).toBe(2004);
    expect(train.labels.length).toBe(7996);
    expect(test.pixels.length).toBe(2004 * 784);
    // digit 0 has 1001 samples: 800 train, 201 test
    expect(test.labels.filter((l) => l === 0).length).toBe(201);
    expect(train.labels.filter((l) => l === 0).length).toBe(800);
    expect(Math.max(...test.pixels.subarray(0, 784))).toBeLessThanOrEqual(1);
    expect(new Set(spread(train, 50).labels).size).toBe(10);
  });
});

describe("the sample photos", () => {
  const photos = sampleImages();

  it("decodes the five photos (PNG and JPEG) to RGBA", () => {
    expect(photos.map((p) => [p.name, p.image.width, p.image.height])).toEqual([
      ["astronaut.png", 512, 512],
      ["camera.png", 512, 512],
      ["chelsea.png", 451, 300],
      ["coffee.png", 600, 400],
      ["rocket.jpg", 640, 427],
    ]);
    for (const p of photos) expect(p.image.data.length).toBe(p.image.width * p.image.height * 4);
  });

  it("crop, flipX and zoomOut move the pixels where they belong", () => {
    const image = {
      data: Uint8ClampedArray.from({ length: 3 * 2 * 4 }, (_, i) => i),
      width: 3,
      height: 2,
    };
    expect(Array.from(crop(image, 1, 1, 2, 1).data)).toEqual([16, 17, 18, 19, 20, 21, 22, 23]);
    expect(Array.from(flipX(image).data.subarray(0, 8))).toEqual([8, 9, 10, 11, 4, 5, 6, 7]);
    const zoomed = zoomOut(image, 2);
    expect([zoomed.width, zoomed.height]).toEqual([6, 4]);
    // the image starts at (1, 1); the border is opaque black
    expect(Array.from(zoomed.data.subarray(0, 4))).toEqual([0, 0, 0, 255]);
    expect(Array.from(zoomed.data.subarray((1 * 6 + 1) * 4, (1 * 6 + 1) * 4 + 4))).toEqual([
      0, 1, 2, 3,
    ]);
    expect(calibrationViews(photos[2]!)).toHaveLength(9);
  });

  it("keeps the evaluation photo out of calibration", () => {
    const data = blazeFaceData();
    expect(data.evaluation.map((v) => v.name)).toEqual([
      EVALUATION_IMAGE,
      `${EVALUATION_IMAGE} mirrored`,
    ]);
    expect(data.calibration).toHaveLength(4 * 9);
    expect(data.calibration.some((v) => v.name.startsWith(EVALUATION_IMAGE))).toBe(false);
    expect(data.calibration[0]!.input.shape).toEqual([1, 128, 128, 3]);
  });
});
