// Reference kernels of pow and prelu (schemas: tensor/src/ops/pow.ts): operands cast to the result
// dtype and broadcast, each value computed in binary64 (float-math.ts, shared with wasm)
// and rounded once to float32 (then float16).

import { powOp, preluOp } from "../ops/pow.js";
import { numel } from "../shape.js";
import type { KernelOf } from "../dispatch/registry.js";
import { referenceKernel, type ReferenceKernel } from "./kernel.js";
import { pow64 } from "./float-math.js";
import {
  fromNumbers,
  hostCast as cast,
  operandScalar,
  readNumbers,
  scalarNumber,
} from "./values.js";

const powKernel: KernelOf<typeof powOp> = {
  run: ({ self, exponent }, a, [spec]) => {
    const { shape, dtype } = spec;
    const n = numel(shape);
    const x = readNumbers(cast(self, dtype), shape);
    const y = exponent
      ? readNumbers(cast(exponent, dtype), shape)
      : new Float64Array(n).fill(scalarNumber(operandScalar(a.exponent), dtype));
    const out = new Float64Array(n);
    for (let k = 0; k < n; k++) out[k] = pow64(x[k]!, y[k]!);
    return [fromNumbers(out, spec, self.device)];
  },
};

const preluKernel: KernelOf<typeof preluOp> = {
  run: ({ self, weight }, _a, [spec]) => {
    const x = readNumbers(self);
    const w = readNumbers(weight, spec.shape);
    const out = new Float64Array(x.length);
    for (let k = 0; k < out.length; k++) out[k] = x[k]! < 0 ? x[k]! * w[k]! : x[k]!;
    return [fromNumbers(out, spec, self.device)];
  },
};

export const powKernels: readonly ReferenceKernel[] = [
  referenceKernel(powOp, powKernel),
  referenceKernel(preluOp, preluKernel),
];
