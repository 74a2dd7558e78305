// Reference kernels of eq, where and isclose (schemas: tensor/src/ops/compare.ts).

import { eqOp, iscloseOp, whereOp } from "../ops/compare.js";
import { cast } from "../ops/copy.js";
import { bool, float64, type DType, type TypedArray } from "../dtype.js";
import type { KernelOf } from "../dispatch/registry.js";
import type { Scalar } from "../numerics/elements.js";
import type { Tensor } from "../tensor.js";
import { referenceKernel, type ReferenceKernel } from "./kernel.js";
import { fromNumbers, fromRaw, mapNumbers, operandTensor, readNumbers, readRaw } from "./values.js";

/** A tensor or JS-scalar operand as raw `dtype` elements broadcast to `shape`. */
function rawOf(
  operand: Tensor | null,
  scalar: Scalar | null,
  dtype: DType,
  shape: readonly number[],
): TypedArray {
  return readRaw(operandTensor(operand, scalar, dtype), dtype, shape);
}

const eqKernel: KernelOf<typeof eqOp> = {
  run: ({ self, other }, a, [spec], { computeDType: dtype }) => {
    // Equal values have equal elements once cast to the promoted dtype, except NaN (and float16
    // bits, which are compared after decoding so that -0 == 0).
    const read = (t: Tensor | null, s: Scalar | null) =>
      dtype.kind === "float"
        ? readNumbers(cast(operandTensor(t, s, dtype), dtype), spec.shape)
        : rawOf(t, s, dtype, spec.shape);
    const x = read(self, null);
    const y = read(other, a.other);
    const out = new Uint8Array(x.length);
    for (let k = 0; k < out.length; k++) out[k] = x[k] === y[k] ? 1 : 0;
    return [fromRaw(out, spec, self.device)];
  },
};

const whereKernel: KernelOf<typeof whereOp> = {
  run: ({ condition, self, other }, a, [spec]) => {
    const { shape, dtype } = spec;
    const c = readRaw(condition, bool, shape);
    const x = rawOf(self, a.self, dtype, shape);
    const y = rawOf(other, a.other, dtype, shape);
    const out = dtype.allocate(c.length);
    for (let k = 0; k < c.length; k++) out[k] = c[k] ? x[k]! : y[k]!;
    return [fromRaw(out, spec, condition.device)];
  },
};

const iscloseKernel: KernelOf<typeof iscloseOp> = {
  run: ({ self, other }, { rtol, atol, equalNan }, [spec]) => {
    const x = readNumbers(cast(self, float64), spec.shape);
    const y = readNumbers(cast(other, float64), spec.shape);
    const close = (a: number, b: number) => {
      if (a === b) return true; // also equal infinities
      if (Number.isNaN(a) && Number.isNaN(b)) return equalNan;
      const error = Math.abs(a - b);
      return Number.isFinite(error) && error <= atol + rtol * Math.abs(b);
    };
    return [
      fromNumbers(
        mapNumbers(x, (a, k) => (close(a, y[k]!) ? 1 : 0)),
        spec,
        self.device,
      ),
    ];
  },
};

export const compareKernels: readonly ReferenceKernel[] = [
  referenceKernel(eqOp, eqKernel),
  referenceKernel(whereOp, whereKernel),
  referenceKernel(iscloseOp, iscloseKernel),
];
