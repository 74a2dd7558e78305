// Registers the "npu" backend and its kernels (the files listed in package.json sideEffects).
import "./backend.js";
import "./kernels/npu-quant-conv2d.js";
import "./kernels/conv2d.js";
import "./kernels/matmul.js";
import "./kernels/vector-ops.js";
