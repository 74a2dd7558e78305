// npu kernel of npu_quant_conv2d (schema and validation: tensor/src/ops/npu-quant-conv2d.ts):
// the product's refusals, then TransData + Load3D + Cube + FixPipe in the simulator, with the
// op's profile recorded. In graph mode the weight goes to FRACTAL_Z and the tiles are planned
// once, at compile time, as the real graph compiler does.

import { Tensor, quantConv2dGeometry, registerKernel, type KernelFn, type NpuQuantConv2dAttrs } from "@tsnpu/tensor";
import { planQuantConv2d, prepareQuantConv2dWeight, simulateQuantConv2d, type QuantConv2dPlan } from "../sim/index.js";
import { refuseUnsupported } from "../backend.js";
import { socOf } from "../devices.js";
import { recordProfile } from "../profiler.js";

interface Prepared {
  readonly weightFz: Int8Array;
  readonly plan: QuantConv2dPlan;
}

function quantConv2dKernel(prepared: Prepared | null): KernelFn<NpuQuantConv2dAttrs> {
  return ([input, weight, scale, bias], attrs, [spec]) => {
    refuseUnsupported(input!, weight!, attrs);
    const soc = socOf(input!.device);
    const g = quantConv2dGeometry(input!, weight!, attrs);
    const eagerWeight = prepared ? null : prepareQuantConv2dWeight(soc, g, weight!.toTypedArray() as Int8Array);
    const out = Tensor.empty(spec!.shape, spec!.dtype, input!.device);
    const profile = simulateQuantConv2d(
      soc,
      g,
      input!.toTypedArray() as Int8Array,
      prepared?.weightFz ?? eagerWeight!.weightFz,
      bias ? (bias.toTypedArray() as Int32Array) : null,
      scale!.toTypedArray() as BigInt64Array,
      out.storage.data as Uint16Array,
      prepared ? { plan: prepared.plan } : {},
    );
    recordProfile(eagerWeight ? { ...profile, transData: [eagerWeight.profile, ...profile.transData] } : profile);
    return [out];
  };
}

registerKernel<NpuQuantConv2dAttrs>("npu_quant_conv2d", "npu", {
  run: quantConv2dKernel(null),
  prepare: ([input, weight, , bias], attrs) => {
    if (weight!.isSymbolic) return quantConv2dKernel(null);
    refuseUnsupported(input!, weight!, attrs);
    const soc = socOf(input!.device);
    const g = quantConv2dGeometry(input!, weight!, attrs);
    return quantConv2dKernel({
      weightFz: prepareQuantConv2dWeight(soc, g, weight!.toTypedArray() as Int8Array).weightFz,
      plan: planQuantConv2d(soc, g, bias !== null),
    });
  },
});
