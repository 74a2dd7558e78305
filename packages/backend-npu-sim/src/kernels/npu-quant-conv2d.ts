// npu kernel of npu_quant_conv2d (schema and validation: tensor/src/ops/npu-quant-conv2d.ts):
// the product's refusals, then TransData + Load3D + Cube + FixPipe in the simulator, with the
// op's profile recorded. In graph mode the weight goes to FRACTAL_Z and the tiles are planned
// once, at compile time, as the real graph compiler does. The product's limits are checked once
// per call: here for eager calls, by the backend's checkGraph for compiled graphs.

import {
  Tensor,
  npuQuantConv2dOp,
  registerKernel,
  type KernelOf,
  type QuantConv2dGeometry,
} from "@tsnpu/tensor";
import {
  planQuantConv2d,
  prepareQuantConv2dWeight,
  simulateQuantConv2d,
  type OpProfile,
  type QuantConv2dPlan,
  type SocSpec,
} from "../sim/index.js";
import { refuseUnsupported } from "../backend.js";
import { socOf } from "../devices.js";
import { recordProfile } from "../profiler.js";

interface Prepared {
  readonly weightFz: Int8Array;
  readonly plan: QuantConv2dPlan;
  /** The weight's own TransData, when it ran for this call (eager mode). */
  readonly weightTransData: readonly OpProfile[];
}

/** What graph mode does once at compile time, for one eager call: checks, plans, converts the weight. */
function prepareEager(
  soc: SocSpec,
  g: QuantConv2dGeometry,
  weight: Tensor,
  hasBias: boolean,
): Prepared {
  refuseUnsupported(soc, g);
  const plan = planQuantConv2d(soc, g, hasBias);
  const { weightFz, profile } = prepareQuantConv2dWeight(
    soc,
    g,
    weight.toTypedArray() as Int8Array,
  );
  return { weightFz, plan, weightTransData: [profile] };
}

function quantConv2dKernel(prepared: Prepared | null): KernelOf<typeof npuQuantConv2dOp>["run"] {
  return ({ input, weight, scale, bias }, _attrs, [spec], g) => {
    const soc = socOf(input.device);
    const { weightFz, plan, weightTransData } =
      prepared ?? prepareEager(soc, g, weight, bias !== null);
    const out = Tensor.empty(spec.shape, spec.dtype, input.device);
    const profile = simulateQuantConv2d(
      soc,
      g,
      input.toTypedArray() as Int8Array,
      weightFz,
      bias ? (bias.toTypedArray() as Int32Array) : null,
      scale.toTypedArray() as BigInt64Array,
      out.storage.data as Uint16Array,
      { plan },
    );
    recordProfile(
      weightTransData.length > 0
        ? { ...profile, transData: [...weightTransData, ...profile.transData] }
        : profile,
    );
    return [out];
  };
}

registerKernel(npuQuantConv2dOp, "npu", {
  run: quantConv2dKernel(null),
  // Runs after the backend's checkGraph accepted the node's shape.
  prepare: ({ input, weight, bias }, _attrs, _outputs, g) => {
    if (weight.isSymbolic) return quantConv2dKernel(null);
    const soc = socOf(input.device);
    return quantConv2dKernel({
      weightFz: prepareQuantConv2dWeight(soc, g, weight.toTypedArray() as Int8Array).weightFz,
      plan: planQuantConv2d(soc, g, bias !== null),
      weightTransData: [],
    });
  },
});
