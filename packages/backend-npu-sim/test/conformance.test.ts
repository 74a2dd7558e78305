// The shared conformance suite on the simulated NPU, once per product. A2/A3 must match the
// golden bits exactly; the Atlas inference series (310P) saturates float16 instead of
// overflowing to infinity (QuantConv2d's dequant and every Vector op's float16 results), and refuses shapes its load unit cannot take (W_out == 1 among them).
import "../src/index.js";
import "@tsnpu/backend-cpu";
import { describeConformance, saturateFloat16 } from "@tsnpu/conformance";
import type { QuantConv2dGeometry } from "@tsnpu/tensor";
import { saturatingVectorOps, setDevice, sim } from "../src/index.js";

/** float16 ops on the Cube: their results follow the product's overflow mode too. */
const cubeOps = new Set(["conv2d", "matmul"]);

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
    ...(spec.fp16Overflow.value === "saturate"
      ? {
          adjustExpected: saturateFloat16,
          adjustsOp: (op: string) => saturatingVectorOps.has(op) || cubeOps.has(op),
        }
      : {}),
  });
}
setDevice(0);
