// The "npu" backend: storage is host memory standing in for the device's HBM; ops run through
// the AI Core simulator (sim/). Graph mode is static-shape only, as on the real device, and a
// graph whose shapes the product refuses is refused when it is compiled.

import { HostStorage, UnsupportedError, quantConv2dGeometry, registerBackend, type Backend, type NpuQuantConv2dAttrs, type Tensor } from "@tsnpu/tensor";
import { checkQuantConv2dSupported } from "./sim/index.js";
import { DEVICE_COUNT, deviceIndex, socOf } from "./devices.js";

export const npuBackend: Backend = {
  name: "npu",
  allocate: (dtype, length) => new HostStorage(dtype, dtype.allocate(length)),
  checkDevice: (device) => {
    const i = deviceIndex(device);
    if (i < 0 || i >= DEVICE_COUNT) throw new UnsupportedError(`device "${device}" does not exist: the simulator has npu:0 .. npu:${DEVICE_COUNT - 1}`);
  },
  supportsDynamicShapes: false,
  checkGraph: (nodes) => {
    for (const node of nodes) {
      if (node.op.name !== "npu_quant_conv2d") continue;
      const [input, weight] = node.inputs as Tensor[];
      refuseUnsupported(input!, weight!, node.attrs as NpuQuantConv2dAttrs);
    }
  },
};

/** Throws the product's refusal (with its rule) for a QuantConv2d it cannot run. */
export function refuseUnsupported(input: Tensor, weight: Tensor, attrs: NpuQuantConv2dAttrs): void {
  const refusal = checkQuantConv2dSupported(socOf(input.device), quantConv2dGeometry(input, weight, attrs));
  if (refusal) throw new UnsupportedError(refusal.message);
}

registerBackend(npuBackend);
