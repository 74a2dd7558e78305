import { describe, expect, it } from "vitest";
import { type Detection, iou, weightedNms } from "../src/index.js";

const box = (xMin: number, yMin: number, size: number, score: number, kx = 0): Detection => ({
  xMin,
  yMin,
  width: size,
  height: size,
  keypoints: [{ x: kx, y: kx }],
  score,
});

describe("iou", () => {
  it("intersection over union; 0 for disjoint or touching boxes", () => {
    expect(iou(box(0, 0, 2, 1), box(1, 0, 2, 1))).toBeCloseTo(2 / 6, 12);
    expect(iou(box(0, 0, 1, 1), box(0, 0, 1, 1))).toBe(1);
    expect(iou(box(0, 0, 1, 1), box(1, 0, 1, 1))).toBe(0);
    expect(iou(box(0, 0, 1, 1), box(5, 5, 1, 1))).toBe(0);
  });
});

describe("weightedNms", () => {
  it("merges a cluster into its score-weighted mean with the best score; keeps separate boxes", () => {
    const out = weightedNms([box(0.1, 0, 1, 0.6, 3), box(0, 0, 1, 0.9, 1), box(5, 5, 1, 0.7)]);
    expect(out).toHaveLength(2);
    expect(out[0]!.score).toBe(0.9);
    expect(out[0]!.xMin).toBeCloseTo((0 * 0.9 + 0.1 * 0.6) / 1.5, 12);
    expect(out[0]!.width).toBeCloseTo(1, 12);
    expect(out[0]!.keypoints[0]!.x).toBeCloseTo((1 * 0.9 + 3 * 0.6) / 1.5, 12);
    expect(out[1]).toEqual(box(5, 5, 1, 0.7));
  });

  it("suppresses only above the threshold (IoU 1/3 stays at 0.5, merges at 0.3)", () => {
    const a = box(0, 0, 2, 0.9);
    const b = box(1, 0, 2, 0.8);
    expect(weightedNms([a, b], 0.5)).toHaveLength(2);
    expect(weightedNms([a, b], 0.3)).toHaveLength(1);
  });

  it("is greedy from the best: a box overlapping only a suppressed one survives", () => {
    // a overlaps b (IoU 1/3), b overlaps c (IoU 1/3), a and c are disjoint
    const out = weightedNms([box(0, 0, 2, 0.9), box(1, 0, 2, 0.8), box(2, 0, 2, 0.7)], 0.3);
    expect(out.map((d) => d.score)).toEqual([0.9, 0.7]);
    expect(weightedNms([], 0.3)).toEqual([]);
    expect(weightedNms([box(0, 0, 1, 0.5), box(3, 0, 1, 0.6)], 0.3, 1)).toHaveLength(1);
  });
});
