// wasm kernel of relu (schema: tensor/src/ops/elementwise.ts): SIMD in assembly/ops/unary.ts.

import { Tensor, registerKernel } from "@tsnpu/tensor";
import { currentRuntime } from "../backend.js";
import { addressOf, dtypeCode, resultDTypeIn } from "./shared.js";

registerKernel("relu", "wasm", {
  supports: resultDTypeIn("float32", "float16", "int32", "int8"),
  run: (inputs, _attrs, outputs) => {
    const spec = outputs[0]!;
    const x = inputs[0]!.contiguous();
    const out = Tensor.forOutput(spec.shape, spec.dtype, x.device);
    currentRuntime().relu(dtypeCode(spec.dtype), addressOf(x), addressOf(out), out.numel());
    return [out];
  },
});
