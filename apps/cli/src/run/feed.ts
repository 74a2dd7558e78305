// Turning the decoded --input into the tensor the model's (first) input expects, and
// recognising the heads `run` knows how to print: BlazeFace (NHWC 128/256 input, scores and
// boxes outputs) and classifiers ([1, K] output).
import * as torch from "tsnpu";
import {
  BLAZEFACE_BACK,
  BLAZEFACE_FRONT,
  type BlazeFaceConfig,
  type Letterbox,
  type RasterImage,
  letterboxRgb,
  mnistFromImage,
  resizeRgb,
} from "@tsnpu/models";
import { UsageError } from "../cli/errors.js";
import type { Input } from "./input.js";

export interface Fed {
  readonly tensor: torch.Tensor;
  /** Set when the model is BlazeFace and the input an image: maps faces back to its pixels. */
  readonly blazeFace: { config: BlazeFaceConfig; letterbox: Letterbox } | null;
}

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

export function blazeFaceConfig(
  inputShape: readonly number[],
  outputs: number,
): BlazeFaceConfig | null {
  const [n, h, w, c] = inputShape;
  if (inputShape.length !== 4 || n !== 1 || c !== 3 || h !== w || (outputs !== 2 && outputs !== 4))
    return null;
  return [BLAZEFACE_FRONT, BLAZEFACE_BACK].find((b) => b.inputSize === h) ?? null;
}

/** Mean luminance in 0..1: a light picture holds dark ink. */
function meanLuminance(image: RasterImage): number {
  const rgb = resizeRgb(image, 16, 16);
  let sum = 0;
  for (let i = 0; i < rgb.length; i += 3)
    sum += 0.299 * rgb[i]! + 0.587 * rgb[i + 1]! + 0.114 * rgb[i + 2]!;
  return sum / (rgb.length / 3) / 255;
}

/** An image laid out as the input wants it: [1, C, H, W] or [1, H, W, C], C 1 or 3, in 0..1. */
function imageValues(image: RasterImage, shape: readonly number[]): Float32Array {
  const [n, a, b, c] = shape as [number, number, number, number];
  const nchw = a === 1 || a === 3;
  const [channels, height, width] = nchw ? [a, b, c] : [c, a, b];
  if (shape.length !== 4 || n !== 1 || (channels !== 1 && channels !== 3))
    throw new UsageError(
      `the model's input has shape [${shape.join(", ")}], not an image ([1, C, H, W] or [1, H, W, C] with C 1 or 3): give a .npy or .json input`,
    );
  if (channels === 1 && height === 28 && width === 28)
    return mnistFromImage(image, meanLuminance(image) > 0.5); // MNIST-style: centred digit
  const rgb = resizeRgb(image, width, height);
  const out = new Float32Array(channels * height * width);
  for (let p = 0; p < height * width; p++) {
    for (let ch = 0; ch < channels; ch++) {
      const v =
        channels === 1 ? (rgb[p * 3]! + rgb[p * 3 + 1]! + rgb[p * 3 + 2]!) / 3 : rgb[p * 3 + ch]!;
      out[nchw ? ch * height * width + p : p * channels + ch] = v / 255;
    }
  }
  return out;
}

export function feed(input: Input, inputShape: readonly number[], outputs: number): Fed {
  if (input.kind === "array") {
    if (input.data.length !== size(inputShape))
      throw new UsageError(
        `--input holds ${input.data.length} values (shape [${input.shape.join(", ")}]), the model's input wants [${inputShape.join(", ")}] = ${size(inputShape)}`,
      );
    return { tensor: torch.tensor(input.data).reshape([...inputShape]), blazeFace: null };
  }
  const config = blazeFaceConfig(inputShape, outputs);
  if (config) {
    const { data, letterbox } = letterboxRgb(input.image, config.inputSize);
    return {
      tensor: torch.tensor(data).reshape([...inputShape]),
      blazeFace: { config, letterbox },
    };
  }
  return {
    tensor: torch.tensor(imageValues(input.image, inputShape)).reshape([...inputShape]),
    blazeFace: null,
  };
}
