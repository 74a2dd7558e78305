// The "npu" backend: storage is host memory standing in for the device's HBM; ops run through
// the AI Core simulator (sim/). Graph mode is static-shape only, as on the real device; a graph
// is planned once when it is compiled (network-plan.ts), and a network the product cannot run
// is refused then, naming every offending layer.

import { ArgumentError, HostStorage, registerBackend, type Backend } from "@tsnpu/tensor";
import { DEVICE_COUNT, currentDevice, deviceIndex } from "./devices.js";
import { planNetwork, type NpuBackendOptions } from "./network-plan.js";

/** The npu backend with planning options (npu.backend({ fusion: false, soc })). */
export function npuBackendWith(options: NpuBackendOptions): Backend {
  return {
    name: "npu",
    allocate: (dtype, length) => new HostStorage(dtype, dtype.allocate(length)),
    checkDevice: (device) => {
      const i = deviceIndex(device);
      if (i < 0 || i >= DEVICE_COUNT)
        throw new ArgumentError(
          "device",
          "device",
          `one of the simulator's devices npu:0 .. npu:${DEVICE_COUNT - 1}`,
          `"${device}", which does not exist`,
        );
    },
    currentIndex: currentDevice,
    supportsDynamicShapes: false,
    // Formats, fusions, tiles and the product's limits, decided once per graph.
    checkGraph: (nodes) => planNetwork(nodes, options),
  };
}

export const npuBackend: Backend = npuBackendWith({});

registerBackend(npuBackend);
