// npu registration of as_strided: a view shares its input's storage (the device-agnostic
// kernel of tensor/src/ops/views.ts), moves no data and launches nothing; its profile row is
// zero time. It works on the plain layout, so a view of an NC1HWC0 tensor (a flatten after a
// pooling) gets a TransData before it in a planned graph.

import { ANY_BACKEND, asStridedOp, findKernel } from "@tsnpu/tensor";
import { registerNpuKernel, viewCost } from "../npu-kernel.js";

const deviceAgnostic = findKernel(asStridedOp, ANY_BACKEND)!;

registerNpuKernel(asStridedOp, {
  label: "View",
  unit: "MTE",
  format: "ND",
  view: true,
  cost: () => viewCost("View"),
  run: (_soc, c) => deviceAgnostic.run(c.inputs, c.attrs, c.outputs, c.derived),
});
