// cpu kernel of npu_quant_conv2d (schema and validation: tensor/src/ops/npu-quant-conv2d.ts).
// The math lives in impl/quant-conv2d, pure functions over typed arrays. In graph mode the
// weights are packed once, when the graph is compiled; eagerly, on every call.

import {
  Tensor,
  decodeQuantScales,
  npuQuantConv2dOp,
  registerKernel,
  type KernelOf,
  type QuantConv2dGeometry,
} from "@tsnpu/tensor";
import {
  packQuantConv2dWeights,
  quantConv2dPacked,
  type PackedQuantConv2dWeights,
} from "../impl/quant-conv2d.js";

type PackedFor = (g: QuantConv2dGeometry, weight: Tensor) => PackedQuantConv2dWeights;

const packNow: PackedFor = (g, weight) =>
  packQuantConv2dWeights(g, weight.toTypedArray() as Int8Array);

function quantConv2dKernel(packed: PackedFor): KernelOf<typeof npuQuantConv2dOp>["run"] {
  return ({ input, weight, scale, bias }, _attrs, [spec], g) => {
    const out = Tensor.empty(spec.shape, spec.dtype, input.device);
    quantConv2dPacked(
      g,
      input.toTypedArray() as Int8Array,
      packed(g, weight),
      bias ? (bias.toTypedArray() as Int32Array) : null,
      decodeQuantScales(scale.toTypedArray() as BigInt64Array),
      out.storage.data as Uint16Array,
    );
    return [out];
  };
}

registerKernel(npuQuantConv2dOp, "cpu", {
  run: quantConv2dKernel(packNow),
  prepare: ({ weight }, _attrs, _outputs, g) => {
    if (weight.isSymbolic) return quantConv2dKernel(packNow);
    const packed = packNow(g, weight);
    return quantConv2dKernel(() => packed);
  },
});
