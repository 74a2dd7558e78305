// npu_quantize on the npu (schema and validation: tensor/src/ops/npu-quantize.ts): the
// products' refusals (docs/semantics/npu-quantize.md section 4) and its Vector model; the
// numerics are the reference kernel's, registered with the other Vector ops (vector-ops.ts).

import type { DType, KernelInputs, NpuQuantizeAttrs, npuQuantizeOp } from "@tsnpu/tensor";
import type { SocSpec } from "../sim/index.js";
import { model, type VectorOpModel } from "./vector-op.js";

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

/** npu_quantize on the Vector unit: one pass, refused where the product refuses it. */
export const quantizeModel: VectorOpModel = {
  ...model("ND", "compute"),
  refuses: (soc, { inputs, attrs }) => {
    const { input, scales } = inputs as Inputs;
    return checkQuantizeSupported(soc, input.dtype, scales.dtype, attrs as NpuQuantizeAttrs);
  },
};
