// One float conv as an int8 layer (docs/semantics/int8-networks.md section 1): weights per output
// channel, symmetric; offset_x = z_x; the int32 bias with the zero point removed from every tap;
// the scale s_x * s_w[c] rounded to float32 and converted by npu_trans_quant_param. The device
// scale's error (low 13 mantissa bits cleared, up to 2^-10 relative) is accepted, not folded
// into the next layer (int8-networks.md section 1 asks to say which).

import { Parameter, QuantConv2d } from "@tsnpu/nn";
import {
  ArgumentError,
  constantPadNd,
  describe,
  float16,
  float32,
  int32,
  int8,
  npuQuantize,
  npuTransQuantParam,
  tensor,
  type Tensor,
} from "@tsnpu/tensor";
import type { ActivationParams } from "./observers.js";
import { clamp, rint } from "./numerics.js";

/** Zeros added before the conv: rows at the top and bottom, columns at the left and right. */
export type PrePad = readonly [top: number, bottom: number, left: number, right: number];

/** `x` (N, C, H, W) with `prePad` cells of `value` around each plane (x itself when none). */
export function prePadded(x: Tensor, prePad: PrePad | null | undefined, value: number): Tensor {
  if (!prePad) return x;
  const [top, bottom, left, right] = prePad;
  return constantPadNd(x, [left, right, top, bottom], value);
}

/** A float conv's geometry, as nn's Conv2d and QuantConv2d take it. */
export interface ConvGeometry {
  readonly stride: [number, number];
  readonly padding: [number, number];
  readonly dilation: [number, number];
  readonly groups: number;
  /**
   * ONNX's asymmetric pads, which QuantConv2d (one padding per axis) cannot take: the int8 layer
   * pads its int8 input with z_x first, the cells npu_quantize makes of the float zeros, and its
   * own `padding` is 0 [assume: how tsnpu deploys them]. Absent when the conv pads symmetrically.
   */
  readonly prePad?: PrePad;
}

/** A float conv with any BatchNormalization after it folded in: W (Cout, Cin/g, kh, kw), b (Cout). */
export interface FloatConv extends ConvGeometry {
  readonly weight: Float32Array;
  readonly weightShape: readonly [number, number, number, number];
  readonly bias: Float32Array;
}

/** The int8 layer's tensors, as torch_npu's QuantConv2d names them, plus the quantize step's. */
export interface QuantConvTensors {
  /** int8 (Cout, Cin, kh, kw). */
  readonly weight: Tensor;
  /** int64 (Cout,): npu_trans_quant_param of float32(s_x * s_w[c]). */
  readonly scale: Tensor;
  /** int32 (Cout,). */
  readonly bias: Tensor;
  /** float32 (1,): s_x. */
  readonly inputScale: Tensor;
  /** int8 (1,): z_x. */
  readonly inputZeroPoint: Tensor;
}

/**
 * Why QuantConv2d cannot take this conv, or null when it can. The rules are QuantConv2d's own:
 * its constructor runs the seed's range checks and the op's attribute checks.
 */
export function ineligibility(conv: FloatConv): string | null {
  const [cout, cinPerGroup, kh, kw] = conv.weightShape;
  try {
    new QuantConv2d(cinPerGroup * conv.groups, cout, [kh, kw], float16, {
      stride: conv.stride,
      padding: conv.padding,
      dilation: conv.dilation,
      groups: conv.groups,
    }).dispose();
    return null;
  } catch (e) {
    if (e instanceof ArgumentError) return e.message;
    throw e;
  }
}

/** How weight scales are chosen: max|W[c]| / 127, or the clip with the least squared error. */
export type WeightMethod = "minmax" | "mse";

/** Clip candidates of the weight mse search: k / WEIGHT_MSE_STEPS of max|W[c]|. */
const WEIGHT_MSE_STEPS = 100;

/** s_w for one output channel's weights (1 for an all-zero channel). */
function channelScale(w: Float32Array, method: WeightMethod): number {
  const maxAbs = w.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  if (maxAbs === 0) return 1;
  let best = Math.fround(maxAbs / 127);
  if (method === "minmax") return best;
  let bestError = Infinity;
  for (let k = WEIGHT_MSE_STEPS; k >= 1; k--) {
    const s = Math.fround((maxAbs * k) / WEIGHT_MSE_STEPS / 127);
    let error = 0;
    for (const v of w) {
      const d = clamp(rint(v / s), -127, 127) * s - v;
      error += d * d;
    }
    if (error < bestError) {
      best = s;
      bestError = error;
    }
  }
  return best;
}

/**
 * s_w[c] as float32 (max|W[c]| / 127, or the mse search of int8-networks.md section 3; 1 for an
 * all-zero channel) and W_q = clamp(rint(W / s_w), -127, 127).
 */
export function quantizeWeights(
  conv: FloatConv,
  method: WeightMethod = "minmax",
): { weight: Int8Array; scales: Float32Array } {
  const cout = conv.weightShape[0];
  const per = conv.weight.length / cout;
  const scales = new Float32Array(cout);
  const weight = new Int8Array(conv.weight.length);
  for (let c = 0; c < cout; c++) {
    const w = conv.weight.subarray(c * per, (c + 1) * per);
    const s = channelScale(w, method);
    scales[c] = s;
    for (let i = 0; i < per; i++) weight[c * per + i] = clamp(rint(w[i]! / s), -127, 127);
  }
  return { weight, scales };
}

/**
 * Bias correction [assume: our choice, as in data-free quantization]: the float bias minus the
 * mean output error the int8 layer makes on the calibration data, per output channel:
 * sum over input channels c of sum_taps(W_q * s_w)[o, c] * E[dequantized x_c] - sum_taps(W)[o, c] * E[x_c]
 * (padding ignored). It removes the shift that rounding small activations to the zero point and
 * rounding the weights leave in every output.
 */
export function biasCorrected(
  conv: FloatConv,
  means: { mean: ArrayLike<number>; dequantized: ArrayLike<number> },
  method: WeightMethod = "minmax",
): FloatConv {
  const { weight, scales } = quantizeWeights(conv, method);
  const [, cin, kh, kw] = conv.weightShape;
  const taps = kh * kw;
  const bias = conv.bias.map((b, o) => {
    let shift = 0;
    for (let c = 0; c < cin; c++) {
      let w = 0;
      let wq = 0;
      for (let t = 0; t < taps; t++) {
        const i = (o * cin + c) * taps + t;
        w += conv.weight[i]!;
        wq += weight[i]! * scales[o]!;
      }
      shift += wq * means.dequantized[c]! - w * means.mean[c]!;
    }
    return b - shift;
  });
  return { ...conv, bias };
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** The int8 layer for `conv` reading inputs quantized with `act`. */
export function quantConvTensors(
  conv: FloatConv,
  act: ActivationParams,
  method: WeightMethod = "minmax",
): QuantConvTensors {
  const { weight, scales } = quantizeWeights(conv, method);
  const cout = conv.weightShape[0];
  const per = weight.length / cout;
  const bias = new Int32Array(cout);
  const scale = new Float32Array(cout);
  for (let c = 0; c < cout; c++) {
    let sum = 0;
    for (let i = 0; i < per; i++) sum += weight[c * per + i]!;
    // Padded cells hold z_x too (offset_x), so the zero point comes off every tap.
    const b = rint(conv.bias[c]! / (act.scale * scales[c]!)) - act.zeroPoint * sum;
    bias[c] = clamp(b, INT32_MIN, INT32_MAX);
    scale[c] = Math.fround(act.scale * scales[c]!);
  }
  return {
    weight: tensor(weight).reshape([...conv.weightShape]),
    scale: npuTransQuantParam(tensor(scale)),
    bias: tensor(bias, { dtype: int32 }),
    inputScale: tensor(new Float32Array([act.scale]), { dtype: float32 }),
    inputZeroPoint: tensor(new Int8Array([act.zeroPoint]), { dtype: int8 }),
  };
}

/**
 * npu_quantize + QuantConv2d: a float (N, Cin, H, W) input quantized to int8 with s_x and z_x
 * (`input_scale`, `input_zero_point`), then the int8 conv with offset_x = z_x, float16 out.
 * Its state dict keys are torch_npu QuantConv2d's (`weight` int8, `scale` int64, `bias` int32)
 * plus the quantize step's.
 */
export class QuantizedConv2d extends QuantConv2d {
  /** float32 (1,): s_x. */
  readonly inputScale: Parameter;
  /** int8 (1,): z_x. */
  readonly inputZeroPoint: Parameter;
  /** Pads (of z_x) the int8 input gets before the conv (ConvGeometry.prePad), or null. */
  readonly prePad: PrePad | null;

  constructor(conv: ConvGeometry, t: QuantConvTensors) {
    const [cout, cin, kh, kw] = t.weight.shape as [number, number, number, number];
    super(cin, cout, [kh, kw], float16, {
      stride: conv.stride,
      padding: conv.padding,
      dilation: conv.dilation,
      offsetX: Number(t.inputZeroPoint.toTypedArray()[0]),
    });
    for (const [p, value] of [
      [this.weight, t.weight],
      [this.scale, t.scale],
      [this.bias!, t.bias],
    ] as const) {
      p.data.dispose();
      p.data = value;
    }
    this.inputScale = this.registerParameter("input_scale", new Parameter(t.inputScale));
    this.inputZeroPoint = this.registerParameter(
      "input_zero_point",
      new Parameter(t.inputZeroPoint),
    );
    const pre = conv.prePad;
    if (pre !== undefined && !(pre.length === 4 && pre.every((p) => Number.isInteger(p) && p >= 0)))
      throw new ArgumentError(
        "QuantizedConv2d",
        "prePad",
        "4 integers >= 0 (top, bottom, left, right)",
        describe(pre),
      );
    this.prePad = pre?.some((p) => p !== 0) ? pre : null;
  }

  /** The quantize step alone: float (N, Cin, H, W) -> int8. */
  quantizeInput(input: Tensor): Tensor {
    return npuQuantize(input, this.inputScale.data, this.inputZeroPoint.data, int8);
  }

  /** The int8 conv alone (its pre-padding included): int8 (N, Cin, H, W) -> float16. */
  forwardInt8(input: Tensor): Tensor {
    return super.forward(prePadded(input, this.prePad, this.offsetX));
  }

  override forward(input: Tensor): Tensor {
    return this.forwardInt8(this.quantizeInput(input));
  }

  protected override extraRepr(): string {
    const s = (this.inputScale.data.toTypedArray() as Float32Array)[0];
    const pre = this.prePad ? `, pre_pad=(${this.prePad.join(", ")})` : "";
    return `${super.extraRepr()}${pre}, input_scale=${s}, input_zero_point=${this.offsetX}`;
  }
}
