// @tsnpu/backend-npu-sim: the "npu" device, a simulated Ascend AI Core.
import "./register.js";

export { npu } from "./npu.js";
export { npuBackend } from "./backend.js";
export {
  compareProducts,
  ProductComparison,
  type ProductRun,
  type CompareOptions,
} from "./compare.js";
export { NetworkRefusedError, type RefusedLayer } from "./errors.js";
export type { NpuBackendOptions } from "./network-plan.js";
export { Profile, profile } from "./profiler.js";
export {
  registerNpuKernel,
  npuKernelOf,
  type NpuKernel,
  type NpuCall,
  type DataFormat,
} from "./npu-kernel.js";
export {
  setDevice,
  currentDevice,
  getDeviceProperties,
  deviceCount,
  type DeviceProperties,
  type SetDeviceOptions,
} from "./devices.js";
export * as sim from "./sim/index.js";
export { saturatingVectorOps } from "./kernels/vector-ops.js";
