// wasm kernels of sum, mean, amax, amin and argmax (schemas: tensor/src/ops/reduction.ts; loop
// in assembly/ops/reduce.ts) for float32, float16, int32 and int8 inputs, bit-exact to the
// cpu's kernels/reduction.ts (integer sums give int64). The input is viewed with the kept dims
// first and the reduced dims last (copied only when that view is not contiguous, e.g. a
// reduction over channels), so each output element reduces one contiguous run; a global
// average pool (mean over dims 2, 3 of a contiguous NCHW tensor) reads the input in place.

import {
  Tensor,
  argmaxOp,
  reductionOpNames,
  reductionOps,
  registerKernel,
  type KernelOf,
  type ReductionOpDef,
} from "@tsnpu/tensor";
import { REDUCE_AMAX, REDUCE_AMIN, REDUCE_ARGMAX, REDUCE_MEAN, REDUCE_SUM } from "../abi.js";
import { currentRuntime } from "../backend.js";
import { addressOf, dtypeCode, hasDTypeCode, withTemps } from "./shared.js";

const CODES = {
  sum: REDUCE_SUM,
  mean: REDUCE_MEAN,
  amax: REDUCE_AMAX,
  amin: REDUCE_AMIN,
  argmax: REDUCE_ARGMAX,
} as const;

/** Every reduction, argmax included, takes `self` and receives the reduced dims. */
type ReductionKernel = KernelOf<ReductionOpDef> & KernelOf<typeof argmaxOp>;

function reductionKernel(op: keyof typeof CODES): ReductionKernel {
  return {
    supports: ({ self }) => hasDTypeCode(self.dtype),
    run: withTemps(({ self: t }, _attrs, [spec], dims, temp) => {
      const kept = [...t.shape.keys()].filter((d) => !dims.includes(d));
      const x = temp(t.permute([...kept, ...dims]).contiguous());
      const size = dims.reduce((n, d) => n * t.shape[d]!, 1);
      const groups = kept.reduce((n, d) => n * t.shape[d]!, 1);
      const out = Tensor.forOutput(spec.shape, spec.dtype, t.device);
      currentRuntime().reduce(
        CODES[op],
        dtypeCode(t.dtype),
        addressOf(x),
        addressOf(out),
        groups,
        size,
      );
      return [out];
    }),
  };
}

for (const name of reductionOpNames)
  registerKernel(reductionOps[name], "wasm", reductionKernel(name));
registerKernel(argmaxOp, "wasm", reductionKernel("argmax"));
