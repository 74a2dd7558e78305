// wasm kernel of constant_pad_nd (schema: tensor/src/ops/constant-pad-nd.ts) for what conv and
// pooling layers pad: a contiguous input padded (not cropped) in its last two dims. The output
// is filled in wasm (memory.fill for an all-zero pad value; V8's fill on a shared memory goes
// element by element) and the rows are copied with memory.copy. Everything else takes the
// device-agnostic kernel.

import { ANY_BACKEND, Tensor, constantPadNdOp, findKernel, registerKernel } from "@tsnpu/tensor";
import { currentRuntime } from "../backend.js";
import { addressOf } from "./shared.js";

const anyBackend = findKernel(constantPadNdOp, ANY_BACKEND)!;

registerKernel(constantPadNdOp, "wasm", {
  run: (inputs, attrs, outputs, pads) => {
    const { self } = inputs;
    const [spec] = outputs;
    const nd = self.ndim;
    const planePadsOnly = pads.every(([b, e], d) =>
      d >= nd - 2 ? b >= 0 && e >= 0 : b === 0 && e === 0,
    );
    const zeroFill = attrs.value === 0 && !Object.is(attrs.value, -0);
    if (nd < 2 || !planePadsOnly || !zeroFill || !self.isContiguous() || self.numel() === 0)
      return anyBackend.run(inputs, attrs, outputs, pads);
    const out = Tensor.forOutput(spec.shape, spec.dtype, self.device);
    const rt = currentRuntime();
    const size = spec.dtype.itemSize;
    const [h, w] = self.shape.slice(-2) as [number, number];
    const [hOut, wOut] = spec.shape.slice(-2) as [number, number];
    rt.zero(addressOf(out), out.numel() * size);
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
