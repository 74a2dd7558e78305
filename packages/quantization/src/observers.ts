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

/** Exact min and max of everything seen (0 included) and a strided sample of the values. */
export class RangeObserver {
  min = 0;
  max = 0;
  readonly #samples: Float32Array[] = [];

  observe(values: Float32Array): void {
    let { min, max } = this;
    for (const v of values) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    this.min = min;
    this.max = max;
    const step = Math.max(1, Math.ceil(values.length / SAMPLES_PER_BATCH));
    const kept = new Float32Array(Math.ceil(values.length / step));
    for (let i = 0, k = 0; i < values.length; i += step, k++) kept[k] = values[i]!;
    this.#samples.push(kept);
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
    return mseSearch(samples, this.min, this.max, o.symmetric);
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

/** The clip range (a fraction of [min, max]) whose quantize-dequantize has the least squared error. */
function mseSearch(
  samples: Float32Array,
  min: number,
  max: number,
  symmetric: boolean,
): ActivationParams {
  let best = paramsOfRange(min, max, symmetric);
  let bestError = Infinity;
  for (let k = MSE_STEPS; k >= 1; k--) {
    const p = paramsOfRange((min * k) / MSE_STEPS, (max * k) / MSE_STEPS, symmetric);
    let error = 0;
    for (const x of samples) {
      const d = (quantizeInt8(x, p.scale, p.zeroPoint) - p.zeroPoint) * p.scale - x;
      error += d * d;
    }
    if (error < bestError) {
      best = p;
      bestError = error;
    }
  }
  return best;
}
