// cpu kernels of the float activations (schemas: tensor/src/ops/activation.ts). Each value is
// computed in binary64 by impl/float-math.ts (the algorithm the wasm kernels share) and rounded
// once to float32, then to float16 for float16 tensors (fromNumbers).

import {
  floatUnaryOpNames,
  floatUnaryOps,
  hardsigmoidOp,
  leakyReluOp,
  registerKernel,
  type FloatUnaryOpName,
  type Tensor,
  type TensorSpec,
} from "@tsnpu/tensor";
import { exp64, hardsigmoid64, sigmoid64, tanh64 } from "../impl/float-math.js";
import { fromNumbers, mapNumbers, readNumbers } from "../impl/values.js";

const floatUnaryMath: Record<FloatUnaryOpName, (x: number) => number> = {
  exp: exp64,
  sigmoid: sigmoid64,
  tanh: tanh64,
  sqrt: Math.sqrt,
  hardswish: (x) => x * hardsigmoid64(x, 1 / 6, 0.5),
};

/** `fn` of every element of `self`, rounded to spec.dtype. */
export function mapFloat(self: Tensor, spec: TensorSpec, fn: (x: number) => number): Tensor[] {
  return [fromNumbers(mapNumbers(readNumbers(self), fn), spec, self.device)];
}

for (const name of floatUnaryOpNames) {
  const fn = floatUnaryMath[name];
  registerKernel(floatUnaryOps[name], "cpu", {
    run: ({ self }, _a, [spec]) => mapFloat(self, spec!, fn),
  });
}

registerKernel(hardsigmoidOp, "cpu", {
  run: ({ self }, { alpha, beta }, [spec]) =>
    mapFloat(self, spec, (x) => hardsigmoid64(x, alpha, beta)),
});

registerKernel(leakyReluOp, "cpu", {
  run: ({ self }, { negativeSlope }, [spec]) =>
    mapFloat(self, spec, (x) => (x < 0 ? x * negativeSlope : x)),
});
