// Reference kernels of the elementwise family (schemas: tensor/src/ops/elementwise.ts), generated
// from one table of math per op. Operands are cast to the result dtype first (torch computes
// in the promoted type), then one of three paths runs: floats in JS numbers (float16 and
// float32 round on store), integers and bools in int32 arithmetic (a store into a narrower
// array wraps like torch; Math.imul keeps products exact mod 2^32), int64 in bigints.

import {
  binaryOpNames,
  binaryOps,
  clampOp,
  unaryOpNames,
  unaryOps,
  type BinaryOpDef,
  type BinaryOpName,
  type UnaryOpDef,
  type UnaryOpName,
} from "../ops/elementwise.js";
import { cast } from "../ops/copy.js";
import { int64, type DType } from "../dtype.js";
import { numel } from "../shape.js";
import type { KernelOf } from "../dispatch/registry.js";
import type { Scalar } from "../numerics/elements.js";
import type { Tensor } from "../tensor.js";
import { referenceKernel, type ReferenceKernel } from "./kernel.js";
import {
  fromNumbers,
  fromRaw,
  mapNumbers,
  operandScalar,
  readBigInts,
  readNumbers,
  scalarBigInt,
  scalarNumber,
  type NumberArray,
} from "./values.js";

interface BinaryMath {
  readonly float: (a: number, b: number, alpha: number) => number;
  /** Integer and bool operands; results are reduced mod 2^32 (or to != 0 for bool) on store. */
  readonly int?: (a: number, b: number, alpha: number) => number;
  readonly bigint?: (a: bigint, b: bigint, alpha: bigint) => bigint;
}

const binaryMath: Record<BinaryOpName, BinaryMath> = {
  add: {
    float: (a, b, alpha) => a + alpha * b,
    int: (a, b, alpha) => a + Math.imul(alpha, b),
    bigint: (a, b, alpha) => a + alpha * b,
  },
  sub: {
    float: (a, b, alpha) => a - alpha * b,
    int: (a, b, alpha) => a - Math.imul(alpha, b),
    bigint: (a, b, alpha) => a - alpha * b,
  },
  mul: { float: (a, b) => a * b, int: (a, b) => Math.imul(a, b), bigint: (a, b) => a * b },
  // True division: the meta function makes every result floating-point.
  div: { float: (a, b) => a / b },
};

interface UnaryMath {
  readonly number: (x: number) => number;
  readonly bigint: (x: bigint) => bigint;
}

const unaryMath: Record<UnaryOpName, UnaryMath> = {
  neg: { number: (x) => -x, bigint: (x) => -x },
  abs: { number: Math.abs, bigint: (x) => (x < 0n ? -x : x) },
  // `x < 0` keeps NaN, as torch's relu does.
  relu: { number: (x) => (x < 0 ? 0 : x), bigint: (x) => (x < 0n ? 0n : x) },
};

/** An operand (tensor or JS scalar) as numbers in `dtype`, broadcast to `shape`. */
function numbersOf(
  operand: Tensor | null,
  scalar: Scalar | null,
  dtype: DType,
  shape: readonly number[],
  n: number,
): NumberArray {
  if (operand) return readNumbers(cast(operand, dtype), shape);
  return new Float64Array(n).fill(scalarNumber(operandScalar(scalar), dtype));
}

/** An operand as bigints, broadcast to `shape`. */
function bigIntsOf(
  operand: Tensor | null,
  scalar: Scalar | null,
  shape: readonly number[],
  n: number,
): BigInt64Array {
  if (operand) return readBigInts(operand, shape);
  return new BigInt64Array(n).fill(scalarBigInt(operandScalar(scalar)));
}

function binaryKernel(math: BinaryMath): KernelOf<BinaryOpDef>["run"] {
  return ({ self, other }, a, [spec]) => {
    const { shape, dtype } = spec;
    const n = numel(shape);
    if (dtype === int64 && math.bigint) {
      const x = bigIntsOf(self, null, shape, n);
      const y = bigIntsOf(other, a.other, shape, n);
      const alpha = BigInt(a.alpha);
      const out = new BigInt64Array(n);
      for (let k = 0; k < n; k++) out[k] = math.bigint(x[k]!, y[k]!, alpha);
      return [fromRaw(out, spec, self.device)];
    }
    const f = dtype.kind !== "float" && math.int ? math.int : math.float;
    const x = numbersOf(self, null, dtype, shape, n);
    const y = numbersOf(other, a.other, dtype, shape, n);
    const out = new Float64Array(n);
    for (let k = 0; k < n; k++) out[k] = f(x[k]!, y[k]!, a.alpha);
    return [fromNumbers(out, spec, self.device)];
  };
}

function unaryKernel(math: UnaryMath): KernelOf<UnaryOpDef>["run"] {
  return ({ self }, _attrs, [spec]) => {
    if (spec.dtype === int64)
      return [fromRaw(readBigInts(self).map(math.bigint), spec, self.device)];
    return [fromNumbers(mapNumbers(readNumbers(self), math.number), spec, self.device)];
  };
}

const clampKernel: KernelOf<typeof clampOp> = {
  run: ({ self }, { min, max }, [spec]) => {
    const { shape, dtype } = spec;
    const n = numel(shape);
    if (dtype === int64) {
      const bound = (v: number | null) => (v === null ? null : scalarBigInt(v));
      const [lo, hi] = [bound(min), bound(max)];
      const clampBig = (x: bigint) => {
        const y = lo !== null && x < lo ? lo : x;
        return hi !== null && y > hi ? hi : y;
      };
      return [fromRaw(readBigInts(self).map(clampBig), spec, self.device)];
    }
    const lo = min === null ? -Infinity : scalarNumber(min, dtype);
    const hi = max === null ? Infinity : scalarNumber(max, dtype);
    const x = numbersOf(self, null, dtype, shape, n);
    // min(max(x, lo), hi): NaN propagates, and lo > hi gives hi, as torch.
    return [
      fromNumbers(
        mapNumbers(x, (v) => Math.min(Math.max(v, lo), hi)),
        spec,
        self.device,
      ),
    ];
  },
};

export const elementwiseKernels: readonly ReferenceKernel[] = [
  ...binaryOpNames.map((name) =>
    referenceKernel(binaryOps[name], { run: binaryKernel(binaryMath[name]) }),
  ),
  ...unaryOpNames.map((name) =>
    referenceKernel(unaryOps[name], { run: unaryKernel(unaryMath[name]) }),
  ),
  referenceKernel(clampOp, clampKernel),
];
