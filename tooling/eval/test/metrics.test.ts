import type { Detection } from "@tsnpu/models";
import { describe, expect, it } from "vitest";
import { argmaxRows, matchBoxes, top1, unmatchedBoxes } from "../src/metrics.js";

const box = (xMin: number, size: number, score: number): Detection => ({
  xMin,
  yMin: 0,
  width: size,
  height: size,
  keypoints: [],
  score,
});

describe("argmaxRows and top1", () => {
  it("picks each row's largest (first on ties) and counts hits", () => {
    expect(Array.from(argmaxRows([0, 2, 1, 5, 5, -1], 3))).toEqual([1, 0]);
    expect(top1([1, 0, 3, 3], [1, 2, 3, 3])).toBe(0.75);
  });
});

describe("matchBoxes", () => {
  it("matches each reference above the score threshold to its most-overlapping candidate", () => {
    const reference = [box(0, 10, 0.9), box(100, 10, 0.8), box(200, 10, 0.4)];
    const candidates = [box(1, 10, 0.85), box(5, 10, 0.95), box(300, 10, 0.7)];
    const m = matchBoxes(reference, candidates, 0.5);
    expect(m).toHaveLength(2); // the 0.4 reference is not evaluated
    expect(m[0]!.match).toBe(candidates[0]);
    expect(m[0]!.iou).toBeCloseTo(90 / 110, 12);
    expect(m[0]!.scoreDiff).toBeCloseTo(-0.05, 12);
    expect(m[1]!.match).toBeNull();
    expect(m[1]!.iou).toBe(0);
    expect(m[1]!.scoreDiff).toBeNaN();
  });
});

describe("unmatchedBoxes", () => {
  it("counts candidates above the threshold that overlap no reference above it by IoU >= 0.5", () => {
    const reference = [box(0, 10, 0.9), box(200, 10, 0.4)];
    const candidates = [
      box(1, 10, 0.85), // the reference face
      box(6, 10, 0.7), // IoU 40/160 with it: spurious
      box(200, 10, 0.9), // only overlaps a reference below the threshold: spurious
      box(300, 10, 0.3), // below the threshold: not shown to a user
    ];
    expect(unmatchedBoxes(reference, candidates, 0.5)).toEqual([candidates[1], candidates[2]]);
  });
});
