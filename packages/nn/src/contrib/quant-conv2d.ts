// contrib.QuantConv2d: torch_npu.contrib.module.QuantConv2d, the module around
// npu_quant_conv2d. Construction checks the seed's supported ranges (spec section 1) and runs
// the op's own attribute checks (groups, offsetX, roundMode, outputDtype); each forward goes
// through the op's meta function, which owns the call's validation.

import {
  type Tensor,
  checkQuantConv2dAttrs,
  checkQuantConv2dOutputDtype,
  float32,
  int32,
  int64,
  int8,
  npuQuantConv2d,
  npuTransQuantParam,
  zeros,
  type DType,
  type DeviceLike,
  type RoundMode,
} from "@tsnpu/tensor";
import { Module } from "../module.js";
import { Parameter } from "../parameter.js";
import { convReprParts, positiveInt, toPair, type IntPair } from "../pairs.js";

export interface QuantConv2dOptions {
  /** [1, 63]; default 1. */
  readonly stride?: IntPair;
  /** [0, 255]; default 0. */
  readonly padding?: IntPair;
  /** [1, 255]; default 1. */
  readonly dilation?: IntPair;
  /** Must be 1. */
  readonly groups?: number;
  /** Whether the module has an int32 `bias` (default true). */
  readonly bias?: boolean;
  /** Whether the module has a float32 `offset` (reserved; default false). */
  readonly offset?: boolean;
  /** The value padded cells hold, in [-128, 127] (default 0). */
  readonly offsetX?: number;
  /** Must be "rint" (reserved). */
  readonly roundMode?: RoundMode;
  /** Where the parameters are created (default cpu). */
  readonly device?: DeviceLike;
  /** Reserved, as in torch_npu: ignored. */
  readonly dtype?: DType | null;
}

const OP = "QuantConv2d";

/**
 * int8 convolution dequantised to float16, as on Ascend NPUs:
 * `float16(float32(conv(x, weight) + bias) * scale)`.
 *
 * @example
 * const m = new QuantConv2d(1, 1, [3, 3], float16);
 * m.weight.data = randint(-1, 1, [1, 1, 3, 3], { dtype: int8 });
 * m.scale.data = rand([1]);              // float32: forward converts it with npuTransQuantParam
 * const y = m.forward(randint(-1, 1, [1, 1, 64, 64], { dtype: int8 })); // float16 [1, 1, 62, 62]
 */
export class QuantConv2d extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: [number, number];
  readonly outputDtype: DType;
  readonly stride: [number, number];
  readonly padding: [number, number];
  readonly dilation: [number, number];
  readonly groups: number;
  readonly offsetX: number;
  readonly roundMode: RoundMode;
  /** int8 (outChannels, inChannels, kH, kW). */
  readonly weight: Parameter;
  /** int64 words (outChannels,), or a float32 tensor that forward converts. */
  readonly scale: Parameter;
  /** int32 (outChannels,), when constructed with `bias: true`. */
  readonly bias: Parameter | null;
  /** float32 (outChannels,), when constructed with `offset: true` (reserved). */
  readonly offset: Parameter | null;

  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: IntPair,
    outputDtype: DType,
    options: QuantConv2dOptions = {},
  ) {
    super();
    this.inChannels = positiveInt(OP, "inChannels", inChannels);
    this.outChannels = positiveInt(OP, "outChannels", outChannels);
    this.kernelSize = toPair(OP, "kernelSize", kernelSize, 1, 255);
    checkQuantConv2dOutputDtype(OP, outputDtype);
    this.outputDtype = outputDtype;
    this.stride = toPair(OP, "stride", options.stride ?? 1, 1, 63);
    this.padding = toPair(OP, "padding", options.padding ?? 0, 0, 255);
    this.dilation = toPair(OP, "dilation", options.dilation ?? 1, 1, 255);
    this.groups = options.groups ?? 1;
    this.offsetX = options.offsetX ?? 0;
    this.roundMode = options.roundMode ?? "rint";
    // The op's own checks, so that a module the op would refuse is refused when it is built.
    checkQuantConv2dAttrs(OP, this);
    const device = options.device ?? "cpu";
    const [kh, kw] = this.kernelSize;
    this.weight = this.registerParameter(
      "weight",
      new Parameter(zeros([outChannels, inChannels, kh, kw], { dtype: int8, device })),
    );
    this.scale = this.registerParameter(
      "scale",
      new Parameter(zeros([outChannels], { dtype: int64, device }), false, [int64, float32]),
    );
    this.bias = this.registerParameter(
      "bias",
      options.bias === false ? null : new Parameter(zeros([outChannels], { dtype: int32, device })),
    );
    this.offset = this.registerParameter(
      "offset",
      options.offset ? new Parameter(zeros([outChannels], { dtype: float32, device })) : null,
    );
  }

  /** input: int8 (N, inChannels, H, W) -> float16 (N, outChannels, Ho, Wo). */
  forward(input: Tensor): Tensor {
    const scale =
      this.scale.data.dtype === float32
        ? npuTransQuantParam(this.scale.data, this.offset?.data)
        : this.scale.data;
    return npuQuantConv2d(input, this.weight.data, scale, {
      strides: this.stride,
      pads: this.padding,
      dilations: this.dilation,
      groups: this.groups,
      offsetX: this.offsetX,
      roundMode: this.roundMode,
      outputDtype: this.outputDtype,
      bias: this.bias?.data ?? null,
      offset: this.offset?.data ?? null,
    });
  }

  protected override extraRepr(): string {
    const parts = convReprParts(this);
    if (this.offsetX !== 0) parts.push(`offset_x=${this.offsetX}`);
    if (!this.bias) parts.push("bias=False");
    parts.push(`output_dtype=${this.outputDtype}`);
    return parts.join(", ");
  }
}
