// torch_npu.contrib.module: NPU-specific modules.
export { QuantConv2d, type QuantConv2dOptions } from "./quant-conv2d.js";
