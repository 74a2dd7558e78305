// wasm kernel of constant_pad_nd (schema: tensor/src/ops/constant-pad-nd.ts) for what conv and
// pooling layers pad: a contiguous input padded (not cropped) in its last two dims. The output
// is filled in wasm (memory.fill, for a pad value whose element is one byte repeated: any value
// of a 1-byte dtype, +0 of any dtype; V8's fill on a shared memory goes element by element) and
// the rows are copied with memory.copy. Everything else takes the device-agnostic kernel.

import {
  ANY_BACKEND,
  type DType,
  type Scalar,
  Tensor,
  constantPadNdOp,
  findKernel,
  registerKernel,
  writeScalar,
} from "@tsnpu/tensor";
import { currentRuntime } from "../backend.js";
import { addressOf } from "./shared.js";

const anyBackend = findKernel(constantPadNdOp, ANY_BACKEND)!;

/** The byte `value`'s element of `dtype` repeats (so memory.fill writes it), or null. */
function fillByte(dtype: DType, value: Scalar): number | null {
  const element = dtype.allocate(1);
  writeScalar(dtype, element, 0, value);
  const bytes = new Uint8Array(element.buffer, element.byteOffset, dtype.itemSize);
  return bytes.every((b) => b === bytes[0]) ? bytes[0]! : null;
}

registerKernel(constantPadNdOp, "wasm", {
  run: (inputs, attrs, outputs, pads) => {
    const { self } = inputs;
    const [spec] = outputs;
    const nd = self.ndim;
    const planePadsOnly = pads.every(([b, e], d) =>
      d >= nd - 2 ? b >= 0 && e >= 0 : b === 0 && e === 0,
    );
    const byte = fillByte(spec.dtype, attrs.value);
    if (nd < 2 || !planePadsOnly || byte === null || !self.isContiguous() || self.numel() === 0)
      return anyBackend.run(inputs, attrs, outputs, pads);
    const out = Tensor.forOutput(spec.shape, spec.dtype, self.device);
    const rt = currentRuntime();
    const size = spec.dtype.itemSize;
    const [h, w] = self.shape.slice(-2) as [number, number];
    const [hOut, wOut] = spec.shape.slice(-2) as [number, number];
    rt.fill(addressOf(out), byte, out.numel() * size);
    rt.padPlanes(
      addressOf(self),
      addressOf(out),
      self.numel() / (h * w),
      h,
      w * size,
      hOut,
      wOut * size,
      pads[nd - 2]![0],
      pads[nd - 1]![0] * size,
    );
    return [out];
  },
});
