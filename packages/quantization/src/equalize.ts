// Equalization of a float16 conv's output channels into the int8 conv that alone reads them
// [assume: our choice, an exact float rewrite like BatchNorm folding; int8-networks.md section 1
// keeps activations per tensor]. The input of an int8 conv is quantized with one s_x, so when
// a few of its channels are hundreds of times wider than the rest (BlazeFace's depthwise
// outputs: one channel in [-391, 0] next to channels within +-1) those narrow channels round to
// a handful of levels. Dividing the producer's channel c (its W[c] and b[c]) by f[c] and
// multiplying the int8 conv's input column W[:, c] by f[c] leaves the float network unchanged
// and moves the spread into the per-output-channel weight scales.

import type { FloatConv } from "./layer.js";

/**
 * How far the spread moves into the weights: f[c] = absmax(x[c])^a / absmax(W[:, c])^(1 - a).
 * [assume] a = 0.75. Measured on BlazeFace front (tooling/eval, minmax, with the stream
 * equalization and bias correction, astronaut.png / mirrored): a = 0.5 leaves conv2d_15 0.989 and
 * conv2d_16 0.979 (matched-box IoU 0.958 / 0.948); 0.75: conv2d_16 0.988 (IoU 0.932 / 0.940);
 * 1: conv2d_16 0.991 but IoU 0.928 / 0.902, too close to the 0.9 goal.
 */
const EQUALIZATION_EXPONENT = 0.75;

/**
 * The exponent for a channel stream (streams.ts) read by int8 convs [assume]: 1 gives every
 * channel the same range at the int8 convs' inputs (as per-channel activation scales would) and
 * leaves the weights to absorb the spread, which they can (weight-only error of BlazeFace's
 * heads: cosine >= 0.9999). Measured on BlazeFace front (minmax): see docs/quantization.md.
 */
export const STREAM_EXPONENT = 1;

/** Stream factors stay within [1/64, 64] [assume]: float16 stream values keep their precision. */
const STREAM_LIMIT = 64;

/** f[c] per input channel of `conv` (1 where the channel or its weights are all zero). */
export function equalizationFactors(
  conv: FloatConv,
  inputAbsMax: ArrayLike<number>,
  exponent = EQUALIZATION_EXPONENT,
): Float32Array {
  const [cout, cin, kh, kw] = conv.weightShape;
  const taps = kh * kw;
  const weightAbsMax = new Float64Array(cin);
  for (let o = 0; o < cout; o++)
    for (let c = 0; c < cin; c++)
      for (let t = 0; t < taps; t++) {
        const w = Math.abs(conv.weight[(o * cin + c) * taps + t]!);
        if (w > weightAbsMax[c]!) weightAbsMax[c] = w;
      }
  // float32, so a saved model rebuilds the same float16 producer weights.
  return Float32Array.from(weightAbsMax, (w, c) => {
    const x = inputAbsMax[c]!;
    return x > 0 && w > 0 ? x ** exponent / w ** (1 - exponent) : 1;
  });
}

/**
 * One f for a stream of `channels` channels read by several int8 convs: per conv its
 * equalization factors (STREAM_EXPONENT) over their geometric mean (a tensor's overall scale
 * does not matter, s_x absorbs it), then per channel the geometric mean over the convs reading
 * it; 1 for a channel no int8 conv reads.
 */
export function streamFactors(
  readers: readonly { conv: FloatConv; inputAbsMax: ArrayLike<number> }[],
  channels: number,
): Float32Array {
  const logSum = new Float64Array(channels);
  const count = new Float64Array(channels);
  for (const { conv, inputAbsMax } of readers) {
    const f = equalizationFactors(conv, inputAbsMax, STREAM_EXPONENT);
    const logs = Array.from(f, Math.log);
    const mean = logs.reduce((a, b) => a + b, 0) / logs.length;
    logs.forEach((l, c) => {
      if (f[c] === 1) return;
      logSum[c]! += l - mean;
      count[c]!++;
    });
  }
  // Clamped so that the float16 stream neither overflows nor sinks into subnormals.
  return Float32Array.from(logSum, (l, c) =>
    count[c]! > 0 ? Math.min(STREAM_LIMIT, Math.max(1 / STREAM_LIMIT, Math.exp(l / count[c]!))) : 1,
  );
}

/** `conv` writing y[c] / f[c]: its W[c] and b[c] divided by f[c]. */
export function outputDividedConv(conv: FloatConv, f: ArrayLike<number>): FloatConv {
  const per = conv.weight.length / conv.weightShape[0];
  return {
    ...conv,
    weight: conv.weight.map((w, i) => w / f[Math.floor(i / per)]!),
    bias: conv.bias.map((b, c) => b / f[c]!),
  };
}

/** x (N, C, ...) with channel c divided by f[c]. */
export function dividedChannels(x: Float32Array, shape: readonly number[], f: ArrayLike<number>) {
  const channels = shape[1]!;
  const inner = x.length / (shape[0]! * channels);
  return x.map((v, i) => v / f[Math.floor(i / inner) % channels]!);
}

/** `conv` reading x[c] / f[c]: its input column W[:, c] times f[c]. */
export function equalizedConv(conv: FloatConv, factors: ArrayLike<number>): FloatConv {
  const [, cin, kh, kw] = conv.weightShape;
  const taps = kh * kw;
  const weight = conv.weight.map((w, i) => w * factors[Math.floor(i / taps) % cin]!);
  return { ...conv, weight };
}
