// @tsnpu/onnx: import float ONNX CNNs as tsnpu Modules.
export { loadOnnx, type OnnxSource } from "./load.js";
export { OnnxModule, type LayerTime } from "./module.js";
export type { InputSpec, LoadOptions } from "./graph.js";
// For tools that rewrite a loaded graph (the quantizer): lower again, inspect and replace steps.
export { lowerGraph, type LoweredGraph, type Step, type StepInput } from "./graph.js";
export { OnnxNode } from "./node.js";
export type { ModelProto } from "./proto.js";
export { OnnxError, OnnxUnsupportedOpsError, type UnsupportedNode } from "./errors.js";
export { supportedOps } from "./ops/index.js";
