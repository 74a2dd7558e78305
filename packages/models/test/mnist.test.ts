import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import "@tsnpu/backend-cpu";
import { loadOnnx } from "@tsnpu/onnx";
import { ArgumentError, float32 } from "@tsnpu/tensor";
import { describe, expect, it } from "vitest";
import {
  MNIST_CNN,
  mnistCnnBytes,
  mnistCnnUrl,
  mnistFromImage,
  mnistInput,
  softmax,
} from "../src/index.js";

describe("the shipped MNIST CNN", () => {
  it("is an ONNX file under 300 KB beside the URL module, and mnistCnnBytes reads it", async () => {
    const url = mnistCnnUrl();
    expect(url.href).toMatch(/\/assets\/mnist-cnn\.onnx$/);
    const onDisk = readFileSync(fileURLToPath(url));
    expect(onDisk.length).toBeLessThan(300 * 1024);
    expect(Buffer.from(await mnistCnnBytes()).equals(onDisk)).toBe(true);
  });

  it("loads with loadOnnx and maps [N, 1, 28, 28] to [N, 10] logits", async () => {
    const model = await loadOnnx(await mnistCnnBytes(), {
      inputShapes: { [MNIST_CNN.input]: [2, 1, 28, 28] },
    });
    expect(model.outputNames).toEqual([MNIST_CNN.output]);
    const [logits] = model.run(mnistInput(new Float32Array(2 * 784).fill(0.5)));
    expect(logits!.shape).toEqual([2, 10]);
    expect(logits!.dtype).toBe(float32);
  });
});

describe("mnistInput", () => {
  it("reshapes N x 784 values, refuses other lengths", () => {
    expect(mnistInput(new Float32Array(784 * 3)).shape).toEqual([3, 1, 28, 28]);
    expect(() => mnistInput(new Float32Array(100))).toThrow(ArgumentError);
    expect(() => mnistInput([])).toThrow(ArgumentError);
  });
});

/** A width x height RGBA image, transparent, with an opaque white rectangle. */
function drawing(width: number, height: number, x0: number, y0: number, x1: number, y1: number) {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = y0; y < y1; y++)
    for (let x = x0; x < x1; x++) data.set([255, 255, 255, 255], (y * width + x) * 4);
  return { data, width, height };
}

describe("mnistFromImage", () => {
  it("scales the ink's box to 20 pixels on its long side and centres its mass", () => {
    // a 40x100 bar in the corner of a 280x280 canvas -> 8x20 centred in 28x28
    const digit = mnistFromImage(drawing(280, 280, 10, 20, 50, 120));
    const rows = Array.from({ length: 28 }, (_, y) => digit.subarray(y * 28, y * 28 + 28));
    const inkRows = rows.map((r, y) => (r.some((v) => v > 0.5) ? y : -1)).filter((y) => y >= 0);
    const inkCols = Array.from({ length: 28 }, (_, x) =>
      rows.some((r) => r[x]! > 0.5) ? x : -1,
    ).filter((x) => x >= 0);
    expect(inkRows).toEqual(Array.from({ length: 20 }, (_, i) => 4 + i));
    expect(inkCols).toEqual(Array.from({ length: 8 }, (_, i) => 10 + i));
    expect(Math.max(...digit)).toBe(1);
  });

  it("reads dark ink on a light ground when asked; an empty canvas is all zeros", () => {
    const light = drawing(56, 56, 0, 0, 56, 56);
    for (let i = (20 * 56 + 20) * 4; i < (20 * 56 + 36) * 4; i += 4)
      light.data.set([0, 0, 0, 255], i);
    const digit = mnistFromImage(light, true);
    expect(digit.reduce((a, b) => a + b, 0)).toBeCloseTo(20, 3); // a 16x1 line -> 20x1 (rounded to 1 row)
    expect(mnistFromImage(drawing(10, 10, 0, 0, 0, 0)).every((v) => v === 0)).toBe(true);
  });
});

describe("softmax", () => {
  it("sums to 1 and keeps the order", () => {
    const p = softmax([1, 3, 2]);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    expect(p[1]).toBeGreaterThan(p[2]!);
    expect(p[2]).toBeGreaterThan(p[0]!);
  });
});
