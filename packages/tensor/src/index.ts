// @tsnpu/tensor: dtypes, devices, tensors, creation, the dispatcher and every op's definition.
export * from "./dtype.js";
export * from "./device.js";
export * from "./errors.js";
export * from "./storage.js";
export * from "./shape.js";
export * from "./tensor.js";
export * from "./creation.js";
export { tidy, keep } from "./tidy.js";
export { manualSeed } from "./random.js";
export * from "./numerics/float16.js";
export * from "./numerics/quant.js";
export * from "./numerics/elements.js";
export * from "./dispatch/backend.js";
export * from "./dispatch/registry.js";
export * from "./dispatch/op.js";
export * from "./dispatch/dispatch.js";
export * from "./dispatch/trace.js";
export * from "./dispatch/graph.js";
export * from "./ops/index.js";
export * from "./reference/index.js";
// Attaches Tensor's op methods (tensor.ts cannot import ops/: see its header).
import "./ops/tensor-methods.js";
