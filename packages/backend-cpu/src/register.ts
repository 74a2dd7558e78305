// Registers every cpu kernel: importing this module is what makes ops run on the cpu.
import "./kernels/elementwise.js";
import "./kernels/reduction.js";
import "./kernels/compare.js";
import "./kernels/matmul.js";
import "./kernels/conv2d.js";
import "./kernels/pool2d.js";
import "./kernels/npu-quant-conv2d.js";
import "./kernels/npu-quantize.js";
