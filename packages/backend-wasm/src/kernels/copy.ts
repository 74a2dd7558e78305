// wasm kernel of copy (contiguous(), clone(); schema: tensor/src/ops/copy.ts): a view (a
// permute, a slice) is gathered in wasm instead of by the device-agnostic kernel's JS loops
// over the host view (measured: the transposed head outputs of BlazeFace front 128 spent more
// in forEachStrided than in their kernels).

import {
  ANY_BACKEND,
  Tensor,
  contiguousStrides,
  copyOp,
  findKernel,
  registerKernel,
} from "@tsnpu/tensor";
import { addressOf } from "./shared.js";
import { block4, copyBlock } from "./strided-copy.js";

const anyBackend = findKernel(copyOp, ANY_BACKEND)!;

registerKernel(copyOp, "wasm", {
  run: (inputs, attrs, outputs, derived) => {
    const { input } = inputs;
    const block = block4(input.shape, input.strides, contiguousStrides(input.shape));
    if (!block || input.numel() === 0) return anyBackend.run(inputs, attrs, outputs, derived);
    const out = Tensor.forOutput(input.shape, input.dtype, input.device);
    copyBlock(input, addressOf(out), block);
    return [out];
  },
});
