// Reference kernel of npu_quantize (schema and validation: tensor/src/ops/npu-quantize.ts): the
// element arithmetic of numerics/quantize.ts over the row-major values.

import { Tensor } from "../tensor.js";
import { npuQuantizeOp, quantizeOperandValues as values } from "../ops/npu-quantize.js";
import { quantizeValues } from "../numerics/quantize.js";
import { referenceKernel, type ReferenceKernel } from "./kernel.js";

export const quantizeKernels: readonly ReferenceKernel[] = [
  referenceKernel(npuQuantizeOp, {
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
  }),
];
