// cpu kernel of npu_quantize (schema and validation: tensor/src/ops/npu-quantize.ts): the
// element arithmetic of numerics/quantize.ts over the row-major values.

import {
  Tensor,
  npuQuantizeOp,
  quantizeOperandValues as values,
  quantizeValues,
  registerKernel,
} from "@tsnpu/tensor";

registerKernel(npuQuantizeOp, "cpu", {
  run: ({ input, scales, zeroPoints }, attrs, [spec], g) => {
    const out = Tensor.forOutput(spec.shape, spec.dtype, input.device);
    quantizeValues(
      g,
      values(input),
      values(scales),
      zeroPoints ? values(zeroPoints) : null,
      attrs.divMode,
      spec.dtype,
      out.storage.data as Int8Array | Uint8Array | Int32Array,
    );
    return [out];
  },
});
