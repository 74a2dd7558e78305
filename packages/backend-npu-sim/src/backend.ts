// The "npu" backend: storage is host memory standing in for the device's HBM; ops run through
// the AI Core simulator (sim/). Graph mode is static-shape only, as on the real device, and a
// graph whose shapes the product refuses is refused when it is compiled.

import {
  ArgumentError,
  HostStorage,
  UnsupportedError,
  isNodeOf,
  npuQuantConv2dOp,
  registerBackend,
  type Backend,
  type QuantConv2dGeometry,
} from "@tsnpu/tensor";
import { checkQuantConv2dSupported, type SocSpec } from "./sim/index.js";
import { DEVICE_COUNT, currentDevice, deviceIndex, socOf } from "./devices.js";

export const npuBackend: Backend = {
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
  // The product's limits, checked once per graph here: the prepared kernels do not check again.
  checkGraph: (nodes) => {
    for (const node of nodes) {
      if (!isNodeOf(npuQuantConv2dOp, node) || !node.inputs.input) continue;
      refuseUnsupported(socOf(node.inputs.input.device), node.derived);
    }
  },
};

/** Throws the product's refusal (with its rule) for a QuantConv2d it cannot run. */
export function refuseUnsupported(soc: SocSpec, g: QuantConv2dGeometry): void {
  const refusal = checkQuantConv2dSupported(soc, g);
  if (refusal) throw new UnsupportedError(refusal.message);
}

registerBackend(npuBackend);
