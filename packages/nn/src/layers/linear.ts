import { matmul, type DeviceLike, type Tensor } from "@tsnpu/tensor";
import { Module } from "../module.js";
import { Parameter } from "../parameter.js";
import { uniformInit } from "./conv.js";
import { positiveInt } from "../pairs.js";

/** y = x W^T + b, like torch.nn.Linear. */
export class Linear extends Module {
  readonly weight: Parameter;
  readonly bias: Parameter | null;
  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
    options: { bias?: boolean; device?: DeviceLike } = {},
  ) {
    super();
    positiveInt("Linear", "inFeatures", inFeatures);
    positiveInt("Linear", "outFeatures", outFeatures);
    const bound = 1 / Math.sqrt(inFeatures);
    const device = options.device ?? "cpu";
    this.weight = this.registerParameter(
      "weight",
      new Parameter(uniformInit([outFeatures, inFeatures], bound, device)),
    );
    this.bias = this.registerParameter(
      "bias",
      options.bias === false ? null : new Parameter(uniformInit([outFeatures], bound, device)),
    );
  }
  forward(input: Tensor): Tensor {
    const y = matmul(input, this.weight.data.transpose(0, 1));
    return this.bias ? y.add(this.bias.data) : y;
  }
  protected override extraRepr(): string {
    return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${this.bias ? "True" : "False"}`;
  }
}
