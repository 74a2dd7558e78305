// npu kernel of conv2d (schema: tensor/src/ops/conv2d.ts): float16 convolutions, depthwise and
// grouped ones included, on the Cube (sim/cube.ts, spec section 7). float32 is declined: the
// spec models the Cube in float16 only. In graph mode the weight goes to FRACTAL_Z once.

import { Tensor, conv2dOp, float16 } from "@tsnpu/tensor";
import {
  checkConv2dFloat16Supported,
  conv2dCubeWork,
  cubeCost,
  oihwToFractalZFloat16,
  simulateConv2dFloat16,
  transDataProfile,
  type SocSpec,
} from "../sim/index.js";
import { registerNpuKernel, type NpuCallOf } from "../npu-kernel.js";

type Conv2dCall = NpuCallOf<typeof conv2dOp>;

const weightFz = (call: Conv2dCall) =>
  oihwToFractalZFloat16(call.inputs.weight.toTypedArray() as Uint16Array, call.derived);

function convolve(soc: SocSpec, call: Conv2dCall, wz: Float32Array): Tensor[] {
  const { input, bias } = call.inputs;
  const spec = call.outputs[0];
  const out = Tensor.empty(spec.shape, spec.dtype, input.device);
  simulateConv2dFloat16(
    call.derived,
    input.toTypedArray() as Uint16Array,
    wz,
    bias ? (bias.toTypedArray() as Uint16Array) : null,
    out.storage.data as Uint16Array,
    soc.fp16Overflow.value === "saturate",
  );
  return [out];
}

registerNpuKernel(conv2dOp, {
  label: (call) => conv2dCubeWork(call.derived, false).op,
  unit: "Cube",
  format: "NC1HWC0",
  activationInputs: ["input"],
  declines: (_inputs, [spec]) =>
    spec.dtype === float16
      ? null
      : `conv2d in ${spec.dtype.name}: the simulated Cube runs float16 convolutions only (spec section 7)`,
  refuses: (soc, call) => checkConv2dFloat16Supported(soc, call.derived)?.message ?? null,
  cost: (soc, call) => cubeCost(soc, conv2dCubeWork(call.derived, call.inputs.bias !== null)),
  run: (soc, call) => convolve(soc, call, weightFz(call)),
  prepare: (_soc, call) => {
    if (call.inputs.weight.isSymbolic) return (soc, c) => convolve(soc, c, weightFz(c));
    const wz = weightFz(call);
    return (soc, c) => convolve(soc, c, wz);
  },
  eagerTransData: (soc, call) => {
    const w = call.inputs.weight;
    const work = conv2dCubeWork(call.derived, false);
    return [transDataProfile(soc, "OIHW->FRACTAL_Z", w.numel() * 2, work.bBytes, "before")];
  },
});
