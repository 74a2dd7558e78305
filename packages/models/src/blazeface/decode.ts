// BlazeFace's raw outputs -> detections, as MediaPipe's TensorsToDetectionsCalculator decodes
// them with the options its face detection graphs publish: num_coords 16 (box x, y, w, h then 6
// keypoints x, y), reverse_output_order true (x before y), x/y/w/h_scale = the input size,
// sigmoid_score true, score_clipping_thresh 100.
import { ArgumentError } from "@tsnpu/tensor";
import type { Anchor } from "./anchors.js";

export interface Point {
  readonly x: number;
  readonly y: number;
}

/** A face: box and keypoints relative to the model input (0..1; y down), score in (0, 1). */
export interface Detection {
  readonly xMin: number;
  readonly yMin: number;
  readonly width: number;
  readonly height: number;
  /** Right eye, left eye, nose tip, mouth centre, right ear tragion, left ear tragion (MediaPipe's order; "right" is the subject's). */
  readonly keypoints: readonly Point[];
  readonly score: number;
}

export interface DecodeOptions {
  /** The model's input size in pixels (128 front, 256 back): the regressors are in input pixels. */
  readonly inputSize: number;
  /** Detections scoring at or below this are dropped (MediaPipe: 0.5 front, 0.65 back). */
  readonly minScore: number;
  /** Raw scores are clipped to +-this before the sigmoid (MediaPipe: 100). */
  readonly scoreClipping?: number;
}

export const BLAZEFACE_COORDS = 16;
export const BLAZEFACE_KEYPOINTS = 6;

export const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/**
 * Decodes `scores` (one raw logit per anchor) and `boxes` (16 regressors per anchor, row-major)
 * into the detections scoring above `minScore`, in anchor order.
 */
export function decodeDetections(
  scores: ArrayLike<number>,
  boxes: ArrayLike<number>,
  anchors: readonly Anchor[],
  o: DecodeOptions,
): Detection[] {
  if (scores.length !== anchors.length || boxes.length !== anchors.length * BLAZEFACE_COORDS)
    throw new ArgumentError(
      "decodeDetections",
      "scores, boxes",
      `${anchors.length} scores and ${anchors.length * BLAZEFACE_COORDS} box values (one row per anchor)`,
      `${scores.length} and ${boxes.length}`,
    );
  const clip = o.scoreClipping ?? 100;
  const s = o.inputSize;
  const out: Detection[] = [];
  anchors.forEach((a, i) => {
    const score = sigmoid(Math.min(clip, Math.max(-clip, scores[i]!)));
    if (!(score > o.minScore)) return;
    const r = i * BLAZEFACE_COORDS;
    const xCenter = (boxes[r]! / s) * a.width + a.xCenter;
    const yCenter = (boxes[r + 1]! / s) * a.height + a.yCenter;
    const width = (boxes[r + 2]! / s) * a.width;
    const height = (boxes[r + 3]! / s) * a.height;
    const keypoints: Point[] = [];
    for (let k = 0; k < BLAZEFACE_KEYPOINTS; k++) {
      keypoints.push({
        x: (boxes[r + 4 + 2 * k]! / s) * a.width + a.xCenter,
        y: (boxes[r + 5 + 2 * k]! / s) * a.height + a.yCenter,
      });
    }
    out.push({
      xMin: xCenter - width / 2,
      yMin: yCenter - height / 2,
      width,
      height,
      keypoints,
      score,
    });
  });
  return out;
}
