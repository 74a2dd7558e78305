// npu kernel of npu_quantize (schema and validation: tensor/src/ops/npu-quantize.ts): the
// products' refusals (docs/semantics/npu-quantize.md section 4), then one pass on the Vector
// unit with the numerics every backend shares, costed like every Vector op
// (vector-op.ts, spec section 7).

import {
  Tensor,
  npuQuantizeOp,
  quantizeOperandValues as values,
  quantizeValues,
  type AnyKernel,
  type AnyOpDef,
  type DType,
  type KernelInputs,
  type NpuQuantizeAttrs,
} from "@tsnpu/tensor";
import type { SocSpec } from "../sim/index.js";
import { model, registerVectorOp } from "./vector-op.js";

type Inputs = KernelInputs<(typeof npuQuantizeOp)["inputs"]>;

/** What the product refuses: axis -2 is A2/A3 only; 310P's div mode false needs scales of the input's dtype [doc]. */
export function checkQuantizeSupported(
  soc: SocSpec,
  inputDtype: DType,
  scalesDtype: DType,
  a: NpuQuantizeAttrs,
): string | null {
  const refuse = (rule: string, what: string) =>
    `npu_quantize on ${soc.name} (${soc.family}): ${what} [rule: ${rule}]`;
  if (/Atlas A[23]/.test(soc.family)) return null;
  if (!a.divMode && a.axis === -2)
    return refuse("quantize-axis-m2", "axis = -2 is supported on Atlas A2/A3 only");
  if (!a.divMode && scalesDtype !== inputDtype)
    return refuse(
      "quantize-div-mode-dtype",
      `divMode false needs scales of the input's dtype (${inputDtype.name}), got ${scalesDtype.name}`,
    );
  return null;
}

const quantizeKernel: AnyKernel = {
  run: (inputs, attrs, [spec], g) => {
    const { input, scales, zeroPoints } = inputs as Inputs;
    const a = attrs as NpuQuantizeAttrs;
    const out = Tensor.forOutput(spec.shape, spec.dtype, input.device);
    quantizeValues(
      g as Parameters<typeof quantizeValues>[0],
      values(input),
      values(scales),
      zeroPoints ? values(zeroPoints) : null,
      a.divMode,
      spec.dtype,
      out.storage.data as Int8Array | Uint8Array | Int32Array,
    );
    return [out];
  },
};

registerVectorOp(npuQuantizeOp as unknown as AnyOpDef, quantizeKernel, {
  ...model("ND", "compute"),
  refuses: (soc, { inputs, attrs }) => {
    const { input, scales } = inputs as Inputs;
    return checkQuantizeSupported(soc, input.dtype, scales.dtype, attrs as NpuQuantizeAttrs);
  },
});
