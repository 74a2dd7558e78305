import { describe, expect, it } from "vitest";
import { ArgumentError } from "@tsnpu/tensor";
import { letterbox, letterboxRgb, resizeRgb, unletterbox } from "../src/index.js";

describe("resizeRgb", () => {
  it("area-averages: a 4x2 RGBA image to 2x1 is the mean of each 2x2 block", () => {
    // left block: red 0, 40, 80, 120 (mean 60); right block: red 200 everywhere
    const data = [
      0, 1, 2, 255, 40, 1, 2, 255, 200, 9, 9, 0, 200, 9, 9, 0, 80, 1, 2, 255, 120, 1, 2, 255, 200,
      9, 9, 0, 200, 9, 9, 0,
    ];
    expect(Array.from(resizeRgb({ data, width: 4, height: 2 }, 2, 1))).toEqual([
      60, 1, 2, 200, 9, 9,
    ]);
  });

  it("handles gray and RGB inputs and fractional footprints (3 -> 2 pixels)", () => {
    expect(
      Array.from(resizeRgb({ data: [0, 30, 90], width: 3, height: 1, channels: 1 }, 2, 1)),
    ).toEqual([10, 10, 10, 70, 70, 70]);
    expect(() => resizeRgb({ data: [1, 2, 3], width: 2, height: 1, channels: 3 }, 1, 1)).toThrow(
      ArgumentError,
    );
  });
});

describe("letterbox", () => {
  it("fits the long side, centres the short one, and maps back exactly", () => {
    const box = letterbox(200, 100, 128);
    expect(box).toEqual({ size: 128, scale: 0.64, offsetX: 0, offsetY: 32 });
    const d = {
      xMin: 0.25,
      yMin: 0.5,
      width: 0.5,
      height: 0.25,
      keypoints: [{ x: 0.5, y: 0.75 }],
      score: 0.9,
    };
    const back = unletterbox(d, box);
    expect(back.xMin).toBeCloseTo(50, 9);
    expect(back.yMin).toBeCloseTo(50, 9);
    expect(back.width).toBeCloseTo(100, 9);
    expect(back.height).toBeCloseTo(50, 9);
    expect(back.keypoints[0]!.x).toBeCloseTo(100, 9);
    expect(back.keypoints[0]!.y).toBeCloseTo(100, 9);
  });

  it("letterboxRgb: [-1, 1] values, black (-1) borders", () => {
    const white = { data: new Uint8Array(4 * 2 * 4).fill(255), width: 4, height: 2 };
    const { data, letterbox: box } = letterboxRgb(white, 4);
    expect(box.offsetY).toBe(1);
    // rows 0 and 3 are border, rows 1 and 2 the image
    expect(Array.from(data.subarray(0, 12))).toEqual(new Array(12).fill(-1));
    expect(Array.from(data.subarray(12, 36))).toEqual(new Array(24).fill(1));
    expect(Array.from(data.subarray(36))).toEqual(new Array(12).fill(-1));
  });
});
