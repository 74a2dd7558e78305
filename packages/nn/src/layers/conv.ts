import {
  ArgumentError,
  conv2d,
  describe,
  rand,
  tensor,
  type DeviceLike,
  type Tensor,
} from "@tsnpu/tensor";
import { Module } from "../module.js";
import { Parameter } from "../parameter.js";
import { convReprParts, positiveInt, toPair, type IntPair } from "../pairs.js";

export interface Conv2dOptions {
  readonly stride?: IntPair;
  readonly padding?: IntPair;
  readonly dilation?: IntPair;
  readonly groups?: number;
  readonly bias?: boolean;
  readonly device?: DeviceLike;
}

/**
 * Uniform in [-bound, bound): torch's default initialisation for conv and linear layers.
 * Computed on the host so that building a model needs no kernels.
 */
export function uniformInit(shape: readonly number[], bound: number, device: DeviceLike): Tensor {
  const u = rand(shape).toTypedArray() as Float32Array;
  return tensor(u.map((x) => (2 * x - 1) * bound))
    .reshape(shape)
    .to(device);
}

/** float32 2-D convolution, like torch.nn.Conv2d. */
export class Conv2d extends Module {
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];
  readonly dilation: [number, number];
  readonly groups: number;
  readonly weight: Parameter;
  readonly bias: Parameter | null;

  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    kernelSize: IntPair,
    options: Conv2dOptions = {},
  ) {
    super();
    positiveInt("Conv2d", "inChannels", inChannels);
    positiveInt("Conv2d", "outChannels", outChannels);
    this.kernelSize = toPair("Conv2d", "kernelSize", kernelSize, 1);
    this.stride = toPair("Conv2d", "stride", options.stride ?? 1, 1);
    this.padding = toPair("Conv2d", "padding", options.padding ?? 0, 0);
    this.dilation = toPair("Conv2d", "dilation", options.dilation ?? 1, 1);
    this.groups = positiveInt("Conv2d", "groups", options.groups ?? 1);
    if (inChannels % this.groups !== 0 || outChannels % this.groups !== 0) {
      throw new ArgumentError(
        "Conv2d",
        "groups",
        `a divisor of inChannels (${inChannels}) and outChannels (${outChannels})`,
        describe(this.groups),
      );
    }
    const device = options.device ?? "cpu";
    const fanIn = (inChannels / this.groups) * this.kernelSize[0] * this.kernelSize[1];
    const bound = 1 / Math.sqrt(fanIn);
    this.weight = this.registerParameter(
      "weight",
      new Parameter(
        uniformInit([outChannels, inChannels / this.groups, ...this.kernelSize], bound, device),
      ),
    );
    this.bias = this.registerParameter(
      "bias",
      options.bias === false ? null : new Parameter(uniformInit([outChannels], bound, device)),
    );
  }

  forward(input: Tensor): Tensor {
    return conv2d(input, this.weight.data, this.bias?.data ?? null, {
      stride: this.stride,
      padding: this.padding,
      dilation: this.dilation,
      groups: this.groups,
    });
  }

  protected override extraRepr(): string {
    const parts = convReprParts(this);
    if (this.groups !== 1) parts.push(`groups=${this.groups}`);
    if (!this.bias) parts.push("bias=False");
    return parts.join(", ");
  }
}
