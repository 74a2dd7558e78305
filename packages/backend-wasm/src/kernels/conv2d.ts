// wasm kernel of conv2d (schema: tensor/src/ops/conv2d.ts; loops in assembly/conv-float.ts)
// for float16 and float32, bit-identical to the cpu's kernels/conv2d.ts (the arithmetic of
// docs/semantics/float-ops.md). The loops read float16 as it is and the input as the view it
// is (padding narrows and reshapes, transposes): no widened or contiguous copy of the input.

import { Tensor, conv2dOp, registerKernel, type Conv2dGeometry } from "@tsnpu/tensor";
import { currentRuntime } from "../backend.js";
import { addressOf, dtypeCode, resultDTypeIn, withTemps } from "./shared.js";

/** Column, row, channel and image strides (elements) of a conv input, batched or not. */
function inputStrides(x: Tensor): [number, number, number, number] {
  const s = x.strides;
  return x.ndim === 4 ? [s[3]!, s[2]!, s[1]!, s[0]!] : [s[2]!, s[1]!, s[0]!, 0];
}

registerKernel(conv2dOp, "wasm", {
  supports: resultDTypeIn("float32", "float16"),
  run: withTemps<{ input: Tensor; weight: Tensor; bias: Tensor | null }, unknown, Conv2dGeometry>(
    ({ input, weight, bias }, _attrs, [spec], g, temp) => {
      // The loops take any non-negative strides; weights and bias are read contiguous.
      const x = input.strides.every((s) => s >= 0) ? input : temp(input.contiguous());
      const w = temp(weight.contiguous());
      const b = bias ? temp(bias.contiguous()) : null;
      const out = Tensor.forOutput(spec!.shape, spec!.dtype, input.device);
      currentRuntime().floatConv2d(
        g,
        {
          input: addressOf(x),
          inputStrides: inputStrides(x),
          weight: addressOf(w),
          bias: b ? addressOf(b) : 0,
          out: addressOf(out),
        },
        dtypeCode(spec!.dtype),
      );
      return [out];
    },
  ),
});
