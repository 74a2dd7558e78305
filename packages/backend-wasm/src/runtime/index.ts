export { WasmRuntime, type WasmRuntimeOptions, type PackedQuantConv2d, type WasmSource } from "./runtime.js";
export { layoutQuantConv2d, MODE_DIRECT, MODE_IM2COL, MODE_PLANE } from "./plan.js";
export { defaultWasmUrl } from "./loader.js";
