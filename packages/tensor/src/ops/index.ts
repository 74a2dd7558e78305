// Every public op function. One file per op (or per family of trivial ops), named after the
// op's schema name: npu_quant_conv2d -> npu-quant-conv2d.ts. Each file holds the op's
// definition (defineOp: name + meta function) and its public function.

export * from "./views.js";
export * from "./copy.js";
export * from "./elementwise.js";
export * from "./reduction.js";
export * from "./compare.js";
export * from "./matmul.js";
export * from "./conv2d.js";
export * from "./pool2d.js";
export { convOutputSize, type Window2dGeometry } from "./spatial.js";
export * from "./npu-trans-quant-param.js";
export * from "./npu-quant-conv2d.js";
export * from "./npu-quantize.js";
