// wasm kernel of cat (schema: tensor/src/ops/cat.ts): each input copied into its slab of the
// output in wasm (one strided copy per input: rows of the input into rows of the output),
// contiguous or not, instead of one TypedArray.set per row from JS.

import {
  ANY_BACKEND,
  Tensor,
  catOp,
  contiguousStrides,
  findKernel,
  registerKernel,
} from "@tsnpu/tensor";
import { addressOf } from "./shared.js";
import { block4, copyBlock, type Block4 } from "./strided-copy.js";

const anyBackend = findKernel(catOp, ANY_BACKEND)!;

registerKernel(catOp, "wasm", {
  run: (inputs, attrs, outputs, dim) => {
    const { tensors } = inputs;
    const [spec] = outputs;
    const to = contiguousStrides(spec.shape);
    const blocks: (Block4 | null)[] = [];
    for (const t of tensors) {
      if (t.numel() === 0) blocks.push(null);
      else {
        const b = block4(t.shape, t.strides, to);
        if (!b) return anyBackend.run(inputs, attrs, outputs, dim);
        blocks.push(b);
      }
    }
    const out = Tensor.forOutput(spec.shape, spec.dtype, tensors[0]!.device);
    const base = addressOf(out);
    const slab = to[dim]! * spec.dtype.itemSize;
    let at = 0;
    tensors.forEach((t, i) => {
      const b = blocks[i];
      if (b) copyBlock(t, base + at * slab, b);
      at += t.shape[dim]!;
    });
    return [out];
  },
});
