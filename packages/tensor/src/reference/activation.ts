// Reference kernels of the float activations (schemas: tensor/src/ops/activation.ts). Each value is
// computed in binary64 by float-math.ts (the algorithm the wasm kernels share) and rounded
// once to float32, then to float16 for float16 tensors (fromNumbers).

import {
  floatUnaryOpNames,
  floatUnaryOps,
  hardsigmoidOp,
  leakyReluOp,
  type FloatUnaryOpName,
} from "../ops/activation.js";
import type { Tensor } from "../tensor.js";
import type { TensorSpec } from "../dispatch/op.js";
import { referenceKernel, type ReferenceKernel } from "./kernel.js";
import { exp64, hardsigmoid64, sigmoid64, tanh64 } from "./float-math.js";
import { fromNumbers, mapNumbers, readNumbers } from "./values.js";

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

export const activationKernels: readonly ReferenceKernel[] = [
  ...floatUnaryOpNames.map((name) => {
    const fn = floatUnaryMath[name];
    return referenceKernel(floatUnaryOps[name], {
      run: ({ self }, _a, [spec]) => mapFloat(self, spec!, fn),
    });
  }),
  referenceKernel(hardsigmoidOp, {
    run: ({ self }, { alpha, beta }, [spec]) =>
      mapFloat(self, spec, (x) => hardsigmoid64(x, alpha, beta)),
  }),
  referenceKernel(leakyReluOp, {
    run: ({ self }, { negativeSlope }, [spec]) =>
      mapFloat(self, spec, (x) => (x < 0 ? x * negativeSlope : x)),
  }),
];
