// The shared conformance suite on the simulated NPU, once per product. A2/A3 must match the
// golden bits exactly; the Atlas inference series (310P) saturates float16 instead of
// overflowing to infinity, and refuses shapes its load unit cannot take (W_out == 1 among them).
import "../src/index.js";
import "@tsnpu/backend-cpu";
import { describeConformance, saturateFloat16 } from "@tsnpu/conformance";
import type { QuantConv2dGeometry } from "@tsnpu/tensor";
import { setDevice, sim } from "../src/index.js";
import { checkQuantizeSupported } from "../src/kernels/npu-quantize.js";

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

const products = [
  { index: 0, soc: "Ascend910B" },
  { index: 1, soc: "Ascend910_93" },
  { index: 2, soc: "Ascend310P" },
] as const;

for (const { index, soc } of products) {
  const spec = sim.getSoc(soc);
  describeConformance({
    device: `npu:${index}`,
    label: soc,
    setup: () => setDevice(index, { soc }),
    propertyCases: 40,
    refuses: (g: QuantConv2dGeometry) => {
      const refusal = sim.checkQuantConv2dSupported(spec, g);
      return refusal ? new RegExp(escapeRegExp(refusal.message)) : null;
    },
    refusesQuantize: (c) => {
      const refusal = checkQuantizeSupported(spec, c.inputDtype, c.scalesDtype, c);
      return refusal ? new RegExp(escapeRegExp(refusal)) : null;
    },
    ...(spec.fp16Overflow.value === "saturate" ? { adjustExpected: saturateFloat16 } : {}),
  });
}
setDevice(0);
