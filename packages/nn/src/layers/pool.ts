import { maxPool2d, type Tensor } from "@tsnpu/tensor";
import { Module } from "../module.js";
import { toPair, type IntPair } from "../pairs.js";

export interface MaxPool2dOptions {
  readonly stride?: IntPair;
  readonly padding?: IntPair;
  readonly dilation?: IntPair;
  readonly ceilMode?: boolean;
}

export class MaxPool2d extends Module {
  constructor(
    readonly kernelSize: IntPair,
    readonly options: MaxPool2dOptions = {},
  ) {
    super();
    toPair("MaxPool2d", "kernelSize", kernelSize, 1); // the other options are checked by max_pool2d at forward
  }
  forward(input: Tensor): Tensor {
    return maxPool2d(input, this.kernelSize as number | [number, number], this.options);
  }
  protected override extraRepr(): string {
    const o = this.options;
    return `kernel_size=${this.kernelSize}, stride=${o.stride ?? this.kernelSize}, padding=${o.padding ?? 0}, dilation=${o.dilation ?? 1}, ceil_mode=${o.ceilMode ? "True" : "False"}`;
  }
}
