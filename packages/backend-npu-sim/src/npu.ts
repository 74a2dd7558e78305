// The `npu` namespace, in the spirit of torch.npu.

import { ArgumentError, describe, type Backend } from "@tsnpu/tensor";
import { SOC_TABLE, socNames } from "./sim/index.js";
import { npuBackend, npuBackendWith } from "./backend.js";
import type { NpuBackendOptions } from "./network-plan.js";
import { currentDevice, deviceCount, getDeviceProperties, setDevice } from "./devices.js";
import { profile } from "./profiler.js";
import { compareProducts } from "./compare.js";
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
    if (options === undefined) return npuBackend;
    if (typeof options !== "object" || options === null)
      throw new ArgumentError(
        "npu.backend",
        "options",
        "an object { fusion?, soc? }",
        describe(options),
      );
    if (options.fusion !== undefined && typeof options.fusion !== "boolean")
      throw new ArgumentError("npu.backend", "fusion", "a boolean", describe(options.fusion));
    if (options.soc !== undefined && !(options.soc in SOC_TABLE))
      throw new ArgumentError(
        "npu.backend",
        "soc",
        `one of ${socNames().join(", ")}`,
        describe(options.soc),
      );
    return npuBackendWith(options);
  },
  /** Runs `fn`, returning its result and the simulator's profile of the npu ops it ran. */
  profile,
  /** One model compiled, run and profiled on several products, side by side. */
  compareProducts,
};
