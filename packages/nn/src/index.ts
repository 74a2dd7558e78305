// @tsnpu/nn: modules, functional ops, graph mode, and torch_npu's contrib modules.
export * from "./module.js";
export * from "./parameter.js";
export * from "./layers/index.js";
export * from "./compile.js";
export type { IntPair } from "./pairs.js";
export * as functional from "./functional.js";
export * as contrib from "./contrib/index.js";
export { QuantConv2d, type QuantConv2dOptions } from "./contrib/index.js";
