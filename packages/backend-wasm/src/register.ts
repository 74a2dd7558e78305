// Registers the "wasm" backend and its kernels (the files listed in package.json sideEffects).
import "./backend.js";
import "./kernels/npu-quant-conv2d.js";
import "./kernels/relu.js";
import "./kernels/clamp.js";
import "./kernels/max-pool2d.js";
import "./kernels/binary.js";
import "./kernels/matmul.js";
import "./kernels/avg-pool2d.js";
