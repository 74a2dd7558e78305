import { float32, ones, tensor, zeros, type DeviceLike, type Tensor } from "@tsnpu/tensor";
import { Module } from "../module.js";
import { Parameter } from "../parameter.js";
import { positiveInt } from "../pairs.js";

/**
 * torch.nn.BatchNorm2d in eval mode (tsnpu is inference only): with the running statistics,
 * `y = (x - running_mean) / sqrt(running_var + eps) * weight + bias` per channel of (N, C, H, W).
 * The per-channel scale and shift are computed on the host in float64, then rounded once to
 * the input's dtype, so the layer is one mul and one add.
 */
export class BatchNorm2d extends Module {
  readonly weight: Parameter;
  readonly bias: Parameter;
  constructor(
    readonly numFeatures: number,
    readonly eps = 1e-5,
    options: { device?: DeviceLike } = {},
  ) {
    super();
    positiveInt("BatchNorm2d", "numFeatures", numFeatures);
    const device = options.device ?? "cpu";
    this.weight = this.registerParameter("weight", new Parameter(ones([numFeatures], { device })));
    this.bias = this.registerParameter("bias", new Parameter(zeros([numFeatures], { device })));
    this.registerBuffer("running_mean", zeros([numFeatures], { device }));
    this.registerBuffer("running_var", ones([numFeatures], { device }));
    this.eval();
  }

  /** The eval-mode affine map y = x * scale + shift, per channel, in float64. */
  affine(): { scale: Float64Array; shift: Float64Array } {
    const state = this.stateDict();
    const host = (name: string) =>
      Float64Array.from(state[name]!.to(float32).toTypedArray() as Float32Array);
    const [gamma, beta, mean, variance] = ["weight", "bias", "running_mean", "running_var"].map(
      host,
    ) as [Float64Array, Float64Array, Float64Array, Float64Array];
    const scale = gamma.map((g, c) => g / Math.sqrt(variance[c]! + this.eps));
    const shift = beta.map((b, c) => b - mean[c]! * scale[c]!);
    return { scale, shift };
  }

  forward(input: Tensor): Tensor {
    const { scale, shift } = this.affine();
    const channel = (v: Float64Array) =>
      tensor(Float32Array.from(v), { dtype: float32 })
        .reshape([this.numFeatures, 1, 1])
        .to(input.dtype)
        .to(input.device);
    return input.mul(channel(scale)).add(channel(shift));
  }

  protected override extraRepr(): string {
    return `${this.numFeatures}, eps=${this.eps}`;
  }
}
