// Registers the "wasm" backend and its kernels (the files listed in package.json sideEffects).
import "./backend.js";
import "./kernels/npu-quant-conv2d.js";
import "./kernels/elementwise.js";
import "./kernels/pool2d.js";
import "./kernels/matmul.js";
import "./kernels/reduction.js";
import "./kernels/npu-quantize.js";
import "./kernels/fused-quant-conv2d.js";
import "./kernels/conv2d.js";
import "./kernels/activation.js";
import "./kernels/compare.js";
import "./kernels/cast.js";
import "./kernels/fused-add-relu.js";
import "./kernels/pad.js";
import "./kernels/copy.js";
