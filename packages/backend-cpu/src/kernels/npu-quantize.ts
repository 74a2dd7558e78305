// cpu kernel of npu_quantize (schema and validation: tensor/src/ops/npu-quantize.ts): the
// element arithmetic of numerics/quantize.ts over the row-major values.

import { Tensor, npuQuantizeOp, quantizeValues, registerKernel } from "@tsnpu/tensor";
import { readNumbers } from "../impl/values.js";

registerKernel(npuQuantizeOp, "cpu", {
  run: ({ input, scales, zeroPoints }, attrs, [spec], g) => {
    const out = Tensor.forOutput(spec.shape, spec.dtype, input.device);
    quantizeValues(
      g,
      readNumbers(input),
      readNumbers(scales),
      zeroPoints ? readNumbers(zeroPoints) : null,
      attrs.divMode,
      spec.dtype,
      out.storage.data as Int8Array | Uint8Array | Int32Array,
    );
    return [out];
  },
});
