// wasm kernels of max_pool2d and avg_pool2d (schemas: tensor/src/ops/pool2d.ts; loops in
// assembly/ops/max-pool2d.ts and avg-pool2d.ts) for float16 and float32, bit-exact to the
// cpu's kernels/pool2d.ts. Every attribute (kernel, stride, padding, dilation, ceilMode,
// countIncludePad, divisorOverride) arrives through the validated geometry and attrs.

import {
  Tensor,
  avgPool2dOp,
  maxPool2dOp,
  registerKernel,
  type KernelOf,
  type Pool2dAttrs,
  type Pool2dGeometry,
} from "@tsnpu/tensor";
import { currentRuntime } from "../backend.js";
import { poolMaxPool2d } from "./pool-calls.js";
import { addressOf, dense, dtypeCode, resultDTypeIn, withTemps } from "./shared.js";

type PoolCall = (
  dtype: number,
  src: number,
  dst: number,
  g: Pool2dGeometry,
  attrs: Pool2dAttrs,
) => void;

function poolKernel(call: PoolCall): KernelOf<typeof maxPool2dOp> {
  return {
    supports: resultDTypeIn("float32", "float16"),
    run: withTemps(({ input }, attrs, [spec], g, temp) => {
      const x = dense(input, temp);
      const out = Tensor.forOutput(spec.shape, spec.dtype, x.device);
      call(dtypeCode(spec.dtype), addressOf(x), addressOf(out), g, attrs);
      return [out];
    }),
  };
}

registerKernel(
  maxPool2dOp,
  "wasm",
  poolKernel((dtype, src, dst, g) => poolMaxPool2d(dtype, src, dst, g)),
);
registerKernel(
  avgPool2dOp,
  "wasm",
  poolKernel((dtype, src, dst, g, attrs) =>
    currentRuntime().avgPool2d(dtype, src, dst, g, attrs.countIncludePad, attrs.divisorOverride),
  ),
);
