export { WasmRuntime, checkRuntimeOptions, type WasmMemoryReport, type WasmRuntimeOptions, type PackedQuantConv2d, type WasmSource } from "./runtime.js";
export { layoutQuantConv2d, usesWinograd } from "./plan.js";
export { MODE_DIRECT, MODE_IM2COL, MODE_PLANE, MODE_WINOGRAD } from "../abi.js";
export { defaultWasmUrl } from "./loader.js";
