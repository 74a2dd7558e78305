// Parameter: a named slot for a module's tensor. As in torch, `.data` may be replaced by any
// tensor (the seed puts a float32 scale into QuantConv2d's int64 `scale`); the module reads
// `.data` at each forward.

import type { DType, Tensor } from "@tsnpu/tensor";

export class Parameter {
  /** The dtypes `loadStateDict` accepts for it: its initial dtype unless the module allows more. */
  readonly dtypes: readonly DType[];

  constructor(
    public data: Tensor,
    /** Always false in tsnpu (inference only); kept for torch users' muscle memory. */
    readonly requiresGrad = false,
    /** Default: the dtype of `data` only (QuantConv2d's scale also takes float32). */
    dtypes?: readonly DType[],
  ) {
    this.dtypes = dtypes ?? [data.dtype];
  }
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
