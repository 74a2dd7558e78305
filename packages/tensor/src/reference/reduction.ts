// Reference kernels of sum, mean, amax, amin and argmax (schemas: tensor/src/ops/reduction.ts).
// The input is viewed with the kept dims first and the reduced dims last, so after one
// row-major read every output element reduces one contiguous run of values.

import { argmaxOp, reductionOps, type ReductionOpName } from "../ops/reduction.js";
import { Tensor } from "../tensor.js";
import { int64 } from "../dtype.js";
import type { TensorSpec } from "../dispatch/op.js";
import type { KernelOf } from "../dispatch/registry.js";
import { referenceKernel, type ReferenceKernel } from "./kernel.js";
import { fromNumbers, fromRaw, readBigInts, readNumbers } from "./values.js";

/** `t` viewed as [...kept dims, ...reduced dims], and the length of one reduced run. */
function groupedView(
  t: Tensor,
  dims: readonly number[],
): { view: Tensor; groups: number; size: number } {
  const kept = [...t.shape.keys()].filter((d) => !dims.includes(d));
  const order = [...kept, ...dims];
  const view = new Tensor(
    t.storage,
    order.map((d) => t.shape[d]!),
    order.map((d) => t.strides[d]!),
    t.offset,
    t.dtype,
    t.device,
  );
  const count = (ds: readonly number[]) => ds.reduce((n, d) => n * t.shape[d]!, 1);
  return { view, groups: count(kept), size: count(dims) };
}

type Values = ArrayLike<number> | ArrayLike<bigint>;

/** Reduces each run of `size` values with `fold`, into a plain array of results. */
function perGroup<T extends number | bigint, R>(
  values: ArrayLike<T>,
  groups: number,
  size: number,
  fold: (values: ArrayLike<T>, start: number, size: number) => R,
): R[] {
  return Array.from({ length: groups }, (_, g) => fold(values, g * size, size));
}

const sumNumbers = (v: ArrayLike<number>, start: number, size: number) => {
  let s = 0;
  for (let i = start; i < start + size; i++) s += v[i]!;
  return s;
};
const sumBigInts = (v: ArrayLike<bigint>, start: number, size: number) => {
  let s = 0n;
  for (let i = start; i < start + size; i++) s += v[i]!;
  return s;
};

/** Offset of the run's first maximum (minimum unless `larger`); a NaN wins at once, as in torch. */
function extremeIndex<T extends number | bigint>(
  v: ArrayLike<T>,
  start: number,
  size: number,
  larger: boolean,
): number {
  let best = start;
  for (let i = start; i < start + size; i++) {
    const x = v[i]!;
    if (x !== x) return i - start; // NaN
    if (larger ? x > v[best]! : x < v[best]!) best = i;
  }
  return best - start;
}

type Reducer = (input: Tensor, dims: readonly number[], spec: TensorSpec) => Tensor;

/** Reads `input` as numbers, or bigints for int64 inputs/outputs, grouped by `dims`. */
function grouped(
  input: Tensor,
  dims: readonly number[],
  asBigInts: boolean,
): { values: Values; groups: number; size: number } {
  const { view, groups, size } = groupedView(input, dims);
  return { values: asBigInts ? readBigInts(view) : readNumbers(view), groups, size };
}

function extremeReducer(larger: boolean): Reducer {
  return (input, dims, spec) => {
    const big = input.dtype === int64;
    const { values, groups, size } = grouped(input, dims, big);
    const pick = (v: ArrayLike<number | bigint>, start: number, n: number) =>
      v[start + extremeIndex(v, start, n, larger)]!;
    const results = perGroup(values as ArrayLike<number | bigint>, groups, size, pick);
    return big
      ? fromRaw(BigInt64Array.from(results as bigint[]), spec, input.device)
      : fromNumbers(results as number[], spec, input.device);
  };
}

const reducers: Record<ReductionOpName, Reducer> = {
  sum: (input, dims, spec) => {
    const big = spec.dtype === int64;
    const { values, groups, size } = grouped(input, dims, big);
    if (big)
      return fromRaw(
        BigInt64Array.from(perGroup(values as ArrayLike<bigint>, groups, size, sumBigInts)),
        spec,
        input.device,
      );
    return fromNumbers(
      perGroup(values as ArrayLike<number>, groups, size, sumNumbers),
      spec,
      input.device,
    );
  },
  mean: (input, dims, spec) => {
    const { values, groups, size } = grouped(input, dims, false);
    const means = perGroup(
      values as ArrayLike<number>,
      groups,
      size,
      (v, start, n) => sumNumbers(v, start, n) / n,
    );
    return fromNumbers(means, spec, input.device);
  },
  amax: extremeReducer(true),
  amin: extremeReducer(false),
};

const argmaxKernel: KernelOf<typeof argmaxOp> = {
  run: ({ self }, _attrs, [spec], dims) => {
    const { values, groups, size } = grouped(self, dims, self.dtype === int64);
    const indices = perGroup(values as ArrayLike<number | bigint>, groups, size, (v, start, n) =>
      extremeIndex(v, start, n, true),
    );
    return [fromNumbers(indices, spec, self.device)];
  },
};

export const reductionKernels: readonly ReferenceKernel[] = [
  ...(Object.entries(reducers) as [ReductionOpName, Reducer][]).map(([name, reduce]) =>
    referenceKernel(reductionOps[name], {
      run: ({ self }, _attrs, [spec], dims) => [reduce(self, dims, spec)],
    }),
  ),
  referenceKernel(argmaxOp, argmaxKernel),
];
