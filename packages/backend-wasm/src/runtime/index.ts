export {
  WasmRuntime,
  checkRuntimeOptions,
  type WasmMemoryReport,
  type WasmRuntimeOptions,
  type PackedQuantConv2d,
} from "./runtime.js";
export type { WasmSource, WasmModule, WasmMemory } from "./wasm-types.js";
export { WasmLoadError } from "./wasm-load-error.js";
export { layoutQuantConv2d, usesWinograd } from "./plan.js";
export {
  MODE_DIRECT,
  MODE_IM2COL,
  MODE_PLANE,
  MODE_POINTWISE,
  MODE_STEM,
  MODE_WINOGRAD,
} from "../abi.js";
export { defaultWasmUrl } from "../../wasm/kernel-urls.js";
