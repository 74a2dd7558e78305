// Registers every cpu kernel: importing this module is what makes ops run on the cpu. The
// non-Cube ops run the reference kernels of @tsnpu/tensor (shared with the simulated npu).
import { referenceKernels, registerKernel } from "@tsnpu/tensor";
import "./kernels/matmul.js";
import "./kernels/conv2d.js";
import "./kernels/npu-quant-conv2d.js";

for (const { op, kernel } of referenceKernels) registerKernel(op, "cpu", kernel);
