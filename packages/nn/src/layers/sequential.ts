import { ArgumentError, describe, type Tensor } from "@tsnpu/tensor";
import { Module } from "../module.js";

/** Runs its children in order, like torch.nn.Sequential. Children are named "0", "1", ... */
export class Sequential extends Module {
  readonly layers: readonly Module[];
  constructor(...layers: Module[]) {
    super();
    layers.forEach((m, i) => {
      if (!(m instanceof Module))
        throw new ArgumentError("Sequential", `module ${i}`, "a Module", describe(m));
    });
    this.layers = layers;
    layers.forEach((m, i) => this.registerModule(String(i), m));
  }
  forward(input: Tensor): Tensor {
    return this.layers.reduce((x, m) => m.forward(x), input);
  }
}
