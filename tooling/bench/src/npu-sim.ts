// The simulated NPU: (1) the simulator's wall time next to the cpu device on the same compiled
// model (bar: within 3x on A-E), and (2) the modelled profile of shapes A-F on every product.

import * as torch from "tsnpu";
import { sim } from "@tsnpu/backend-npu-sim";
import { formatTable, measureShape, type Contender } from "./measure.js";
import { SHAPES, quantProblem, shapeText } from "./shapes.js";

const compiledOn = (device: string): Contender => ({
  name: device === "cpu" ? "cpu compiled" : "npu-sim compiled",
  prepare(s) {
    const { model, input } = quantProblem(s, device);
    const run = torch.compile(model, {
      backend: torch.getBackend(device.split(":")[0]!),
      dynamic: false,
    });
    return { run: () => void run(input) };
  },
});

export function runNpuSimBench(log: (line: string) => void = console.log): void {
  torch.npu.setDevice(0, { soc: "Ascend910B" });
  const rows: string[][] = [];
  for (const shape of SHAPES.filter((s) => s.label !== "F")) {
    const [cpu, npu] = measureShape(shape, [compiledOn("cpu"), compiledOn("npu:0")], {
      budgetMs: 3000,
    });
    rows.push([
      shape.label,
      shapeText(shape),
      cpu!.medianMs.toFixed(2),
      npu!.medianMs.toFixed(2),
      `${(npu!.medianMs / cpu!.medianMs).toFixed(2)}x`,
    ]);
  }
  log(
    "npu-sim wall time vs the cpu device (Ascend910B, compiled QuantConv2d, medians of interleaved runs; bar: <= 3x)",
  );
  log(
    formatTable(
      ["shape", "N,Cin,H,W,Cout,k,s,p", "cpu ms", "npu-sim ms", "npu-sim / cpu"],
      rows,
      2,
    ),
  );

  const profileRows: string[][] = [];
  for (const shape of SHAPES) {
    const cells = sim.socNames().map((soc, index) => {
      torch.npu.setDevice(index, { soc });
      const { model, input } = quantProblem(shape, `npu:${index}`);
      const run = torch.compile(model, { backend: torch.npu.backend() });
      try {
        const p = torch.npu
          .profile(() => run(input))
          .profile.ops.find((o) => o.op === "QuantConv2d")!;
        return `${p.microseconds.toFixed(2)} us, ${p.boundBy}, ${p.achievedTops.toFixed(2)} TOPS`;
      } catch (e) {
        return `refused: ${(e as Error).message}`;
      }
    });
    profileRows.push([shape.label, shapeText(shape), ...cells]);
  }
  torch.npu.setDevice(0);
  log("");
  log(
    "Modelled QuantConv2d per product (launch overhead included): microseconds, bounding unit, achieved int8 TOPS",
  );
  log(formatTable(["shape", "N,Cin,H,W,Cout,k,s,p", ...sim.socNames()], profileRows, 99));
}
