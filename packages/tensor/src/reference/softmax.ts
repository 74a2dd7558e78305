// Reference kernel of softmax (schema and arithmetic: tensor/src/ops/softmax.ts): max, e_i =
// f32(exp(f32(x_i - max))) with the shared binary64 exp, a float32 sum in index order,
// f32(e_i / sum), then the output dtype.

import { softmaxOp } from "../ops/softmax.js";
import { referenceKernel, type ReferenceKernel } from "./kernel.js";
import { exp64 } from "./float-math.js";
import { fromNumbers, readNumbers } from "./values.js";

export const softmaxKernels: readonly ReferenceKernel[] = [
  referenceKernel(softmaxOp, {
    run: ({ self }, _a, [spec], { outer, size, inner }) => {
      const x = readNumbers(self);
      const out = new Float64Array(x.length);
      const e = new Float64Array(size);
      for (let o = 0; o < outer; o++) {
        for (let i = 0; i < inner; i++) {
          const base = o * size * inner + i;
          let max = -Infinity;
          for (let j = 0; j < size; j++) {
            const v = x[base + j * inner]!;
            if (v > max) max = v;
          }
          let sum = 0;
          for (let j = 0; j < size; j++) {
            e[j] = Math.fround(exp64(Math.fround(x[base + j * inner]! - max)));
            sum = Math.fround(sum + e[j]!);
          }
          for (let j = 0; j < size; j++) out[base + j * inner] = Math.fround(e[j]! / sum);
        }
      }
      return [fromNumbers(out, spec, self.device)];
    },
  }),
];
