// The `npu` namespace, in the spirit of torch.npu.

import { getBackend, type Backend } from "@tsnpu/tensor";
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
  /** The compile backend for graph mode (torchair's `get_npu_backend()`). */
  backend(): Backend {
    return getBackend("npu");
  },
  /** Runs `fn`, returning its result and the simulator's profile of the npu ops it ran. */
  profile,
};
