// Product limits of QuantConv2d that depend on the input's shape, known only once calibration ran
// (int8-networks.md section 2): such a conv stays float16 and the report gives the rule. The
// simulator refuses the same layers (backend-npu-sim sim/limits.ts, rule w-out-1).

import type { FloatConv } from "./layer.js";

/** The Ascend products a quantized model may target (npu-sim's SocName). */
export type Soc = "Ascend910B" | "Ascend910_93" | "Ascend310P";

export const SOCS: readonly Soc[] = ["Ascend910B", "Ascend910_93", "Ascend310P"];

/** The conv's output width for an input `inputWidth` wide. */
function outputWidth(conv: FloatConv, inputWidth: number): number {
  const kw = conv.weightShape[3];
  const [, , left, right] = conv.prePad ?? [0, 0, 0, 0];
  return (
    Math.floor(
      (inputWidth + left + right + 2 * conv.padding[1] - conv.dilation[1] * (kw - 1) - 1) /
        conv.stride[1],
    ) + 1
  );
}

/** Why `soc` cannot run this conv as QuantConv2d on inputs `inputWidth` wide, or null. */
export function productLimit(
  soc: Soc | undefined,
  conv: FloatConv,
  inputWidth: number,
): string | null {
  if (soc === "Ascend310P" && outputWidth(conv, inputWidth) === 1)
    return "Ascend310P (Atlas inference series) has no QuantConv2d kernel for an output 1 column wide [doc; npu-sim rule w-out-1]";
  return null;
}
