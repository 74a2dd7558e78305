// Activation observers (docs/semantics/int8-networks.md section 3): each quantized conv's input is
// watched over the calibration data; a method turns what was seen into a per-tensor scale s_x
// and zero point z_x.

import { quantizeInt8 } from "./numerics.js";

export type ActivationMethod = "minmax" | "percentile" | "mse";

export interface ActivationOptions {
  readonly method: ActivationMethod;
  /** For "percentile": the percentile of |x| (symmetric) or of x at each end (asymmetric). */
  readonly percentile: number;
  /** z_x = 0 when true; otherwise z_x in [-128, 127] maps the range [min, max] onto the int8 range. */
  readonly symmetric: boolean;
}

export interface ActivationParams {
  /** s_x, a float32 value > 0. */
  readonly scale: number;
  /** z_x, an integer in [-128, 127]. */
  readonly zeroPoint: number;
}

/** Values kept per batch for percentile and mse: a deterministic stride through the tensor. */
const SAMPLES_PER_BATCH = 1 << 15;
/** Clip candidates the mse search tries: fractions k / STEPS of the observed range. */
const MSE_STEPS = 100;

/**
 * Exact min and max of everything seen (0 included), per channel (axis 1 of an (N, C, ...) conv
 * input), and a strided sample of the values with their channels, so that the range of the
 * tensor with each channel divided by a factor (equalization, quantize.ts) is known too.
 */
export class RangeObserver {
  #channelMin = new Float64Array(0);
  #channelMax = new Float64Array(0);
  readonly #samples: Float32Array[] = [];
  readonly #sampleChannels: Int32Array[] = [];
  /** Per batch: the mean of x^2 over its samples. */
  readonly #batchEnergy: number[] = [];

  observe(values: Float32Array, shape: readonly number[] = [values.length]): void {
    const channels = shape[1] ?? 1;
    const inner = shape.slice(2).reduce((n, d) => n * d, 1);
    if (this.#channelMin.length === 0) {
      this.#channelMin = new Float64Array(channels);
      this.#channelMax = new Float64Array(channels);
    }
    const lo = this.#channelMin;
    const hi = this.#channelMax;
    for (let i = 0; i < values.length; i++) {
      const c = Math.floor(i / inner) % channels;
      const v = values[i]!;
      if (v < lo[c]!) lo[c] = v;
      if (v > hi[c]!) hi[c] = v;
    }
    const step = Math.max(1, Math.ceil(values.length / SAMPLES_PER_BATCH));
    const n = Math.ceil(values.length / step);
    const kept = new Float32Array(n);
    const keptChannels = new Int32Array(n);
    for (let i = 0, k = 0; i < values.length; i += step, k++) {
      kept[k] = values[i]!;
      keptChannels[k] = Math.floor(i / inner) % channels;
    }
    this.#samples.push(kept);
    this.#sampleChannels.push(keptChannels);
    let energy = 0;
    for (const v of kept) energy += v * v;
    this.#batchEnergy.push(energy / Math.max(1, n));
  }

  /** max |x| per channel. */
  channelAbsMax(): Float64Array {
    return this.#channelMin.map((lo, c) => Math.max(-lo, this.#channelMax[c]!));
  }

  /** The observations with channel c divided by divisors[c] (a new observer). */
  divided(divisors: ArrayLike<number>): RangeObserver {
    const out = new RangeObserver();
    out.#channelMin = this.#channelMin.map((v, c) => v / divisors[c]!);
    out.#channelMax = this.#channelMax.map((v, c) => v / divisors[c]!);
    this.#samples.forEach((s, i) => {
      const channels = this.#sampleChannels[i]!;
      out.#samples.push(s.map((v, k) => v / divisors[channels[k]!]!));
      out.#sampleChannels.push(channels);
      const kept = out.#samples[i]!;
      let energy = 0;
      for (const v of kept) energy += v * v;
      out.#batchEnergy.push(energy / Math.max(1, kept.length));
    });
    return out;
  }

  /**
   * Per channel, over the samples: the mean of x and of x after npu_quantize with `p` and
   * dequantization ((q - z_x) * s_x): the bias the quantize step adds to each channel.
   */
  channelMeans(p: ActivationParams): { mean: Float64Array; dequantized: Float64Array } {
    const channels = this.#channelMin.length;
    const sum = new Float64Array(channels);
    const sumQ = new Float64Array(channels);
    const count = new Float64Array(channels);
    this.#samples.forEach((s, i) => {
      const ch = this.#sampleChannels[i]!;
      for (let k = 0; k < s.length; k++) {
        const c = ch[k]!;
        sum[c]! += s[k]!;
        sumQ[c]! += (quantizeInt8(s[k]!, p.scale, p.zeroPoint) - p.zeroPoint) * p.scale;
        count[c]!++;
      }
    });
    const mean = sum.map((v, c) => (count[c]! > 0 ? v / count[c]! : 0));
    const dequantized = sumQ.map((v, c) => (count[c]! > 0 ? v / count[c]! : 0));
    return { mean, dequantized };
  }

  get min(): number {
    return this.#channelMin.reduce((m, v) => Math.min(m, v), 0);
  }

  get max(): number {
    return this.#channelMax.reduce((m, v) => Math.max(m, v), 0);
  }

  samples(): Float32Array {
    const all = new Float32Array(this.#samples.reduce((n, s) => n + s.length, 0));
    let at = 0;
    for (const s of this.#samples) {
      all.set(s, at);
      at += s.length;
    }
    return all;
  }

  params(o: ActivationOptions): ActivationParams {
    if (o.method === "minmax") return paramsOfRange(this.min, this.max, o.symmetric);
    const samples = this.samples();
    if (o.method === "percentile") {
      if (o.symmetric) {
        const a = percentileOf(samples.map(Math.abs), o.percentile);
        return paramsOfRange(-a, a, true);
      }
      const sorted = samples.slice().sort();
      return paramsOfRange(
        Math.min(0, at(sorted, 100 - o.percentile)),
        Math.max(0, at(sorted, o.percentile)),
        false,
      );
    }
    // [assume] Each batch's errors count relative to its own mean x^2, so a quiet view (the
    // whole photo) weighs as much as a loud one (a zoomed crop) in the clip choice.
    const sampleWeights = new Float32Array(samples.length);
    let next = 0;
    this.#samples.forEach((batch, b) => {
      sampleWeights.fill(1 / (this.#batchEnergy[b]! || 1), next, next + batch.length);
      next += batch.length;
    });
    return mseSearch(samples, this.min, this.max, o.symmetric, sampleWeights);
  }
}

/** s_x and z_x that map [lo, hi] (lo <= 0 <= hi) onto [-127, 127] (symmetric) or [-128, 127]. */
export function paramsOfRange(lo: number, hi: number, symmetric: boolean): ActivationParams {
  if (symmetric) {
    const a = Math.max(-lo, hi);
    return { scale: a > 0 ? Math.fround(a / 127) : 1, zeroPoint: 0 };
  }
  if (hi - lo <= 0) return { scale: 1, zeroPoint: 0 };
  const scale = Math.fround((hi - lo) / 255);
  return { scale, zeroPoint: Math.min(127, Math.max(-128, Math.round(-128 - lo / scale))) };
}

const at = (sorted: Float32Array, p: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;

function percentileOf(values: Float32Array, p: number): number {
  return at(values.sort(), p);
}

/**
 * The clip range (a fraction of [min, max]) whose quantize-dequantize has the least squared
 * error, each sample's error weighted by `weights`.
 */
function mseSearch(
  samples: Float32Array,
  min: number,
  max: number,
  symmetric: boolean,
  weights: Float32Array,
): ActivationParams {
  let best = paramsOfRange(min, max, symmetric);
  let bestError = Infinity;
  for (let k = MSE_STEPS; k >= 1; k--) {
    const p = paramsOfRange((min * k) / MSE_STEPS, (max * k) / MSE_STEPS, symmetric);
    let error = 0;
    for (let i = 0; i < samples.length; i++) {
      const x = samples[i]!;
      const d = (quantizeInt8(x, p.scale, p.zeroPoint) - p.zeroPoint) * p.scale - x;
      error += d * d * weights[i]!;
    }
    if (error < bestError) {
      best = p;
      bestError = error;
    }
  }
  return best;
}
