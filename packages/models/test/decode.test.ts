import { describe, expect, it } from "vitest";
import { ArgumentError } from "@tsnpu/tensor";
import {
  type Anchor,
  BLAZEFACE_COORDS,
  BLAZEFACE_FRONT,
  decodeDetections,
  detectFaces,
  sigmoid,
} from "../src/index.js";

const logit = (p: number) => Math.log(p / (1 - p));

/** Raw outputs with every score very low, then `set` applied to chosen rows. */
function rawOutputs(count: number) {
  return {
    scores: new Float32Array(count).fill(-20),
    boxes: new Float32Array(count * BLAZEFACE_COORDS),
  };
}

describe("decodeDetections", () => {
  const anchors: Anchor[] = [
    { xCenter: 0.25, yCenter: 0.5, width: 1, height: 1 },
    { xCenter: 0.75, yCenter: 0.25, width: 0.5, height: 2 },
  ];

  it("offsets in input pixels / input size times the anchor size, around the anchor centre", () => {
    const { scores, boxes } = rawOutputs(2);
    scores[1] = logit(0.9);
    // x, y, w, h, then 6 keypoints
    boxes.set([12.8, -25.6, 64, 32, 0, 0, 12.8, 12.8, 0, 0, 0, 0, 0, 0, -12.8, 0], 16);
    const [d, ...rest] = decodeDetections(scores, boxes, anchors, {
      inputSize: 128,
      minScore: 0.5,
    });
    expect(rest).toEqual([]);
    expect(d!.score).toBeCloseTo(0.9, 6);
    // centre x 0.75 + 0.1 * 0.5, centre y 0.25 - 0.2 * 2; width 0.5 * 0.5, height 0.25 * 2
    expect(d!.width).toBeCloseTo(0.25, 6);
    expect(d!.height).toBeCloseTo(0.5, 6);
    expect(d!.xMin).toBeCloseTo(0.8 - 0.125, 6);
    expect(d!.yMin).toBeCloseTo(-0.15 - 0.25, 6);
    expect(d!.keypoints).toHaveLength(6);
    expect(d!.keypoints[0]).toEqual({ x: 0.75, y: 0.25 });
    expect(d!.keypoints[1]!.x).toBeCloseTo(0.8, 6);
    expect(d!.keypoints[1]!.y).toBeCloseTo(0.45, 6);
    expect(d!.keypoints[5]!.x).toBeCloseTo(0.7, 6);
  });

  it("keeps scores strictly above the threshold, clips logits to +-100 before the sigmoid", () => {
    const { scores, boxes } = rawOutputs(2);
    scores[0] = 0; // exactly 0.5: dropped at minScore 0.5
    scores[1] = 1e6;
    const out = decodeDetections(scores, boxes, anchors, { inputSize: 128, minScore: 0.5 });
    expect(out.map((d) => d.score)).toEqual([sigmoid(100)]);
    expect(
      decodeDetections(scores, boxes, anchors, { inputSize: 128, minScore: 0.4 }),
    ).toHaveLength(2);
  });

  it("refuses outputs that do not have one row per anchor", () => {
    const { scores, boxes } = rawOutputs(3);
    expect(() =>
      decodeDetections(scores, boxes, anchors, { inputSize: 128, minScore: 0.5 }),
    ).toThrow(ArgumentError);
  });
});

describe("detectFaces", () => {
  it("joins the model's four outputs in anchor order, decodes and suppresses", () => {
    const { scores, boxes } = rawOutputs(896);
    // two neighbouring anchors of the 16x16 grid on one face, one anchor of the 8x8 grid elsewhere
    const face = (row: number, p: number, w: number) => {
      scores[row] = logit(p);
      boxes.set([0, 0, w, w], row * 16);
    };
    face(2 * (5 * 16 + 5), 0.9, 20);
    face(2 * (5 * 16 + 5) + 1, 0.8, 22);
    face(512 + 6 * (6 * 8 + 2), 0.7, 30);
    const outputs = [
      scores.subarray(0, 512),
      scores.subarray(512),
      boxes.subarray(0, 512 * 16),
      boxes.subarray(512 * 16),
    ];
    const faces = detectFaces(outputs, BLAZEFACE_FRONT);
    expect(faces.map((f) => f.score)).toEqual([expect.closeTo(0.9, 6), expect.closeTo(0.7, 6)]);
    // the first is the 0.9/0.8-weighted mean of widths 20 and 22 (in 128ths)
    expect(faces[0]!.width * 128).toBeCloseTo((0.9 * 20 + 0.8 * 22) / 1.7, 4);
    expect(faces[0]!.xMin + faces[0]!.width / 2).toBeCloseTo(5.5 / 16, 6);
    expect(faces[1]!.xMin + faces[1]!.width / 2).toBeCloseTo(2.5 / 8, 6);
    expect(faces[1]!.yMin + faces[1]!.height / 2).toBeCloseTo(6.5 / 8, 6);
  });
});
