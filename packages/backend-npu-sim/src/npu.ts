// The `npu` namespace, in the spirit of torch.npu.

import type { Backend } from "@tsnpu/tensor";
import { npuBackend, npuBackendWith } from "./backend.js";
import type { NpuBackendOptions } from "./network-plan.js";
import { currentDevice, deviceCount, getDeviceProperties, setDevice } from "./devices.js";
import { profile } from "./profiler.js";
import "./register.js";

export const npu = {
  setDevice,
  currentDevice,
  deviceCount,
  getDeviceProperties,
  /** The simulator runs each op to completion: nothing is ever pending. */
  synchronize(): void {},
  /**
   * The compile backend for graph mode (torchair's `get_npu_backend()`); options:
   * `{ fusion: false }` plans without fusions, `{ soc }` plans for another product.
   */
  backend(options?: NpuBackendOptions): Backend {
    return options ? npuBackendWith(options) : npuBackend;
  },
  /** Runs `fn`, returning its result and the simulator's profile of the npu ops it ran. */
  profile,
};
