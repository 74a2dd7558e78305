// wasm kernels of max_pool2d and avg_pool2d (schemas: tensor/src/ops/pool2d.ts; loops in
// assembly/ops/max-pool2d.ts and avg-pool2d.ts) for float16 and float32, bit-exact to the
// cpu's kernels/pool2d.ts. Every attribute (kernel, stride, padding, dilation, ceilMode,
// countIncludePad, divisorOverride) arrives through the validated geometry and attrs.

import { Tensor, pool2dGeometry, registerKernel, type Kernel, type Pool2dAttrs, type Pool2dGeometry } from "@tsnpu/tensor";
import { currentRuntime } from "../backend.js";
import { addressOf, dtypeCode, resultDTypeIn, withTemps } from "./shared.js";

type PoolCall = (dtype: number, src: number, dst: number, g: Pool2dGeometry, attrs: Pool2dAttrs) => void;

function poolKernel(op: "max_pool2d" | "avg_pool2d", call: PoolCall): Kernel<Pool2dAttrs> {
  return {
    supports: resultDTypeIn("float32", "float16"),
    run: withTemps((inputs, attrs, outputs, temp) => {
      const spec = outputs[0]!;
      const x = temp(inputs[0]!.contiguous());
      const out = Tensor.forOutput(spec.shape, spec.dtype, x.device);
      call(dtypeCode(spec.dtype), addressOf(x), addressOf(out), pool2dGeometry(op, x, attrs), attrs);
      return [out];
    }),
  };
}

registerKernel("max_pool2d", "wasm", poolKernel("max_pool2d", (dtype, src, dst, g) => currentRuntime().maxPool2d(dtype, src, dst, g)));
registerKernel("avg_pool2d", "wasm", poolKernel("avg_pool2d", (dtype, src, dst, g, attrs) =>
  currentRuntime().avgPool2d(dtype, src, dst, g, attrs.countIncludePad, attrs.divisorOverride)));
