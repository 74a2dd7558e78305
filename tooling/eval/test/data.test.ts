import { describe, expect, it } from "vitest";
import { calibrationViews, crop, flipX, mosaic, sampleImages } from "../src/images.js";
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

  it("crop, flipX and mosaic move the pixels where they belong", () => {
    const image = {
      data: Uint8ClampedArray.from({ length: 3 * 2 * 4 }, (_, i) => i),
      width: 3,
      height: 2,
    };
    expect(Array.from(crop(image, 1, 1, 2, 1).data)).toEqual([16, 17, 18, 19, 20, 21, 22, 23]);
    expect(Array.from(flipX(image).data.subarray(0, 8))).toEqual([8, 9, 10, 11, 4, 5, 6, 7]);
    expect(calibrationViews(photos[2]!)).toHaveLength(7);
    // Three flat photos (6 x 4: the central 4 x 4 square is taken) in turn from the second one.
    const flat = (v: number) => ({
      data: new Uint8ClampedArray(6 * 4 * 4).fill(v),
      width: 6,
      height: 4,
    });
    const m = mosaic([flat(10), flat(100), flat(200)], 2, 1, 4);
    expect([m.width, m.height]).toEqual([8, 8]);
    const pixel = (x: number, y: number) =>
      Array.from(m.data.subarray((y * 8 + x) * 4, (y * 8 + x) * 4 + 4));
    expect([pixel(0, 0), pixel(7, 0), pixel(0, 7), pixel(7, 7)]).toEqual([
      [100, 100, 100, 255],
      [200, 200, 200, 255],
      [10, 10, 10, 255],
      [100, 100, 100, 255],
    ]);
  });

  it("keeps the evaluation photo out of calibration", () => {
    const data = blazeFaceData();
    expect(data.evaluation.map((v) => v.name)).toEqual([
      EVALUATION_IMAGE,
      `${EVALUATION_IMAGE} mirrored`,
    ]);
    // 7 views of each of the 4 other photos, 6 around the face in camera.png, 6 mosaics
    expect(data.calibration).toHaveLength(4 * 7 + 6 + 6);
    expect(data.calibration.some((v) => v.name.includes(EVALUATION_IMAGE))).toBe(false);
    expect(data.calibration[0]!.input.shape).toEqual([1, 128, 128, 3]);
  });

  it("frames no calibration view in black on all four sides (only a letterbox's two bands)", () => {
    // A black frame all around drove BlazeFace's deep activations 10-30x above natural views'.
    const edgeIsBlack = (x: Float32Array, edge: (i: number) => number) =>
      Array.from({ length: 128 }, (_, i) => i).every((i) =>
        [0, 1, 2].every((c) => x[edge(i) * 3 + c] === -1),
      );
    for (const v of blazeFaceData().calibration) {
      const x = v.input.toTypedArray() as Float32Array;
      const edges = [
        (i: number) => i,
        (i: number) => 127 * 128 + i,
        (i: number) => i * 128,
        (i: number) => i * 128 + 127,
      ];
      expect(edges.filter((e) => edgeIsBlack(x, e)).length, v.name).toBeLessThanOrEqual(2);
    }
  });
});
