// npu kernel of npu_quant_conv2d (schema and validation: tensor/src/ops/npu-quant-conv2d.ts):
// the product's refusals, then TransData + Load3D + Cube + FixPipe in the simulator. In graph
// mode the weight goes to FRACTAL_Z and the tiles are planned once, at compile time, as the real
// graph compiler does (the product's limits are then checked by the network planner).

import { Tensor, npuQuantConv2dOp } from "@tsnpu/tensor";
import {
  checkQuantConv2dSupported,
  planQuantConv2d,
  prepareQuantConv2dWeight,
  quantConv2dCost,
  simulateQuantConv2d,
  type QuantConv2dPlan,
  type SocSpec,
} from "../sim/index.js";
import { registerNpuKernel, type NpuCallOf } from "../npu-kernel.js";

type QuantConv2dCall = NpuCallOf<typeof npuQuantConv2dOp>;

const planOf = (soc: SocSpec, call: QuantConv2dCall) =>
  planQuantConv2d(soc, call.derived, call.inputs.bias !== null);

const weightFz = (soc: SocSpec, call: QuantConv2dCall) =>
  prepareQuantConv2dWeight(soc, call.derived, call.inputs.weight.toTypedArray() as Int8Array);

function convolve(
  soc: SocSpec,
  call: QuantConv2dCall,
  fz: Int8Array,
  plan: QuantConv2dPlan,
): Tensor[] {
  const { input, bias, scale } = call.inputs;
  const spec = call.outputs[0];
  const out = Tensor.empty(spec.shape, spec.dtype, input.device);
  simulateQuantConv2d(
    soc,
    call.derived,
    input.toTypedArray() as Int8Array,
    fz,
    bias ? (bias.toTypedArray() as Int32Array) : null,
    scale.toTypedArray() as BigInt64Array,
    out.storage.data as Uint16Array,
    { plan },
  );
  return [out];
}

registerNpuKernel(npuQuantConv2dOp, {
  label: "QuantConv2d",
  unit: "Cube",
  format: "NC1HWC0",
  activationInputs: ["input"],
  refuses: (soc, call) => checkQuantConv2dSupported(soc, call.derived)?.message ?? null,
  cost: (soc, call) => {
    const p = planOf(soc, call);
    return quantConv2dCost(soc, call.derived, p.split, p.tiles, p.parts);
  },
  run: (soc, call) => convolve(soc, call, weightFz(soc, call).weightFz, planOf(soc, call)),
  prepare: (soc, call) => {
    if (call.inputs.weight.isSymbolic)
      return (s, c) => convolve(s, c, weightFz(s, c).weightFz, planOf(s, c));
    const fz = weightFz(soc, call).weightFz;
    const plan = planOf(soc, call);
    return (s, c) => convolve(s, c, fz, plan);
  },
  eagerTransData: (soc, call) => [weightFz(soc, call).profile],
});
