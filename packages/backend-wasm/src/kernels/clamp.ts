// wasm kernel of clamp (schema: tensor/src/ops/elementwise.ts) for float16 and float32 results:
// the input is cast to the result dtype and the bounds rounded to float32, as the cpu does.

import { Tensor, cast, float32Bits, registerKernel, type ClampAttrs } from "@tsnpu/tensor";
import { currentRuntime } from "../backend.js";
import { addressOf, dtypeCode, resultDTypeIn } from "./shared.js";

/** The cpu's min(max(NaN, lo), hi) is not its operand but the NaN Math.max makes (negative on x86). */
const nanBits = float32Bits(Math.max(Number.NaN, 0)) | 0;

registerKernel<ClampAttrs>("clamp", "wasm", {
  supports: resultDTypeIn("float32", "float16"),
  run: (inputs, attrs, outputs) => {
    const spec = outputs[0]!;
    const x = cast(inputs[0]!, spec.dtype).contiguous();
    const lo = attrs.min === null ? -Infinity : Math.fround(attrs.min);
    const hi = attrs.max === null ? Infinity : Math.fround(attrs.max);
    const out = Tensor.forOutput(spec.shape, spec.dtype, x.device);
    currentRuntime().clamp(dtypeCode(spec.dtype), addressOf(x), addressOf(out), out.numel(), lo, hi, nanBits);
    return [out];
  },
});
