// Parameter: a named slot for a module's tensor. As in torch, `.data` may be replaced by any
// tensor (the seed puts a float32 scale into QuantConv2d's int64 `scale`); the module reads
// `.data` at each forward.

import type { Tensor } from "@tsnpu/tensor";

export class Parameter {
  constructor(
    public data: Tensor,
    /** Always false in tsnpu (inference only); kept for torch users' muscle memory. */
    readonly requiresGrad = false,
  ) {}
  get shape(): readonly number[] {
    return this.data.shape;
  }
  get dtype() {
    return this.data.dtype;
  }
  get device() {
    return this.data.device;
  }
  toString(): string {
    return `Parameter containing:\n${this.data.toString()}`;
  }
}
