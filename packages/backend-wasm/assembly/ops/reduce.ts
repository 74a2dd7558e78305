// sum, mean, amax, amin and argmax over contiguous runs of `size` elements (the JS side puts
// the reduced dims last), float32, float16, int32 and int8, as the cpu kernel (backend-cpu's
// kernels/reduction.ts): float sums run in doubles from +0 in index order and the result rounds
// once (float16 through float32); integer sums are int64, wrapping; amax/amin/argmax take the
// first extreme, or the first NaN at once.
// A NaN result is some NaN: the cpu's results pass through a JS array, where V8 keeps or
// canonicalises a NaN's sign and payload depending on the array's internal element kind.

import { DTYPE_I32, DTYPE_I8, REDUCE_AMIN, REDUCE_ARGMAX, REDUCE_MEAN, REDUCE_SUM } from "../../src/abi";
import { elementSize, storeRounded, valueAt } from "./lanes";

/** Index of the run's first maximum (minimum unless `larger`), or of its first NaN. */
// @ts-ignore: decorator
@inline function extremeIndex(dtype: i32, run: usize, size: i32, larger: bool): i32 {
  let best = 0;
  let bestValue = valueAt(dtype, run, 0);
  if (bestValue != bestValue) return 0;
  for (let i = 1; i < size; i++) {
    const v = valueAt(dtype, run, i);
    if (v != v) return i;
    if (larger ? v > bestValue : v < bestValue) {
      best = i;
      bestValue = v;
    }
  }
  return best;
}

/** `groups` runs of `size` elements at src; results at dst: int64 for argmax and integer sums, else `dtype`. */
export function reduce(op: i32, dtype: i32, src: usize, dst: usize, groups: i32, size: i32): void {
  const esize = elementSize(dtype);
  const isInt = dtype == DTYPE_I32 || dtype == DTYPE_I8;
  const outSize: usize = op == REDUCE_ARGMAX || (op == REDUCE_SUM && isInt) ? 8 : esize;
  for (let g = 0; g < groups; g++) {
    const run = src + <usize>g * <usize>size * esize;
    const out = dst + <usize>g * outSize;
    if (op == REDUCE_SUM && isInt) {
      let sum: i64 = 0;
      for (let i = 0; i < size; i++) sum += <i64>valueAt(dtype, run, i);
      store<i64>(out, sum);
    } else if (op == REDUCE_SUM || op == REDUCE_MEAN) {
      let sum: f64 = 0;
      for (let i = 0; i < size; i++) sum += valueAt(dtype, run, i);
      storeRounded(dtype, out, op == REDUCE_MEAN ? sum / <f64>size : sum);
    } else {
      const i = extremeIndex(dtype, run, size, op != REDUCE_AMIN);
      if (op == REDUCE_ARGMAX) store<i64>(out, <i64>i);
      else if (isInt) memory.copy(out, run + <usize>i * esize, esize);
      else storeRounded(dtype, out, valueAt(dtype, run, i));
    }
  }
}
