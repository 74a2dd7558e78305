// @tsnpu/onnx: import float ONNX CNNs as tsnpu Modules.
export { loadOnnx, type OnnxSource } from "./load.js";
export { OnnxModule, type LayerTime } from "./module.js";
export type { InputSpec, LoadOptions } from "./graph.js";
export { OnnxError, OnnxUnsupportedOpsError, type UnsupportedNode } from "./errors.js";
export { supportedOps } from "./ops/index.js";
