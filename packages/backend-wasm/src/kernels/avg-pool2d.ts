// wasm kernel of avg_pool2d (schema: tensor/src/ops/pool2d.ts) for float16 and float32: every
// attribute (kernel, stride, padding, ceilMode, countIncludePad, divisorOverride).

import { Tensor, pool2dGeometry, registerKernel, type Pool2dAttrs } from "@tsnpu/tensor";
import { currentRuntime } from "../backend.js";
import { addressOf, dtypeCode, resultDTypeIn } from "./shared.js";

registerKernel<Pool2dAttrs>("avg_pool2d", "wasm", {
  supports: resultDTypeIn("float32", "float16"),
  run: (inputs, attrs, outputs) => {
    const spec = outputs[0]!;
    const x = inputs[0]!.contiguous();
    const out = Tensor.forOutput(spec.shape, spec.dtype, x.device);
    const g = pool2dGeometry("avg_pool2d", x, attrs);
    currentRuntime().avgPool2d(dtypeCode(spec.dtype), addressOf(x), addressOf(out), g, attrs.countIncludePad, attrs.divisorOverride);
    return [out];
  },
});
