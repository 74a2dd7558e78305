// tsnpu bench: QuantConv2d on cpu and wasm (1 and 2 threads), measured side by side, with the
// simulated NPU's modelled time beside them; progress on stderr, a table or JSON, an SVG chart.
import { writeFileSync } from "node:fs";
import * as torch from "tsnpu";
import { contender, timeSideBySide } from "../bench/measure.js";
import { barChartSvg } from "../bench/svg.js";
import { integerOption } from "../cli/numbers.js";
import type { CommandRun } from "../cli/spec.js";
import { shapeGeometry } from "../geometry.js";
import { quantInput, quantModel } from "../quant-model.js";
import { type ConvShape, parseShape } from "../shape.js";
import { formatTable } from "../table.js";

/** ResNet-style layers (3x3, the 7x7 stem, deep 3x3, 1x1) and a batch of 8. */
export const BENCH_SHAPES = [
  "1,64,56,56,64,3,1,1",
  "1,3,224,224,64,7,2,3",
  "1,256,14,14,256,3,1,1",
  "1,512,7,7,512,1",
  "8,32,32,32,32,3,1,1",
];

const CONTENDERS = ["cpu", "wasm 1 thread", "wasm 2 threads"] as const;

interface Row {
  readonly shape: string;
  readonly macs: number;
  /** Median ms per call, in CONTENDERS order. */
  readonly ms: number[];
  /** The simulated Ascend910B's modelled µs (not a wall time), or its refusal. */
  readonly npuModelledUs: number | string;
}

function macsOf(s: ConvShape): number {
  const g = shapeGeometry(s);
  return s.n * s.cout * g.hOut * g.wOut * s.cin * s.k * s.k;
}

function npuModelled(s: ConvShape): number | string {
  torch.npu.setDevice(0, { soc: "Ascend910B" });
  const model = torch.compile(quantModel(s, "npu:0"), { backend: torch.npu.backend() });
  try {
    return torch.npu.profile(() => model(quantInput(s, "npu:0"))).profile.microseconds;
  } catch (e) {
    if (e instanceof torch.UnsupportedError) return `refused: ${e.message}`;
    throw e;
  } finally {
    model.dispose();
  }
}

export const run: CommandRun = async ({ values }, io) => {
  const shapes = (typeof values.shape === "string" ? [values.shape] : BENCH_SHAPES).map(parseShape);
  const roundCount = integerOption(values.rounds, "--rounds", { min: 1, max: 1000, fallback: 5 });
  const macs = shapes.map(macsOf); // validates every shape before the long part
  const rt = await torch.wasm.ready({ numThreads: 2 });
  const rows: Row[] = [];
  try {
    for (const [i, s] of shapes.entries()) {
      const text = [s.n, s.cin, s.h, s.w, s.cout, s.k, s.stride, s.pad, s.dilation].join(",");
      const progress = (round: number) =>
        io.progress(
          i * roundCount + round,
          shapes.length * roundCount,
          `${text} round ${Math.min(round + 1, roundCount)}/${roundCount}`,
        );
      progress(0);
      const contenders = [
        contender("cpu", s, "cpu"),
        contender("wasm 1 thread", s, "wasm", 1),
        contender("wasm 2 threads", s, "wasm", rt.numThreads),
      ];
      rows.push({
        shape: text,
        macs: macs[i]!,
        ms: timeSideBySide(contenders, roundCount, progress),
        npuModelledUs: npuModelled(s),
      });
    }
  } finally {
    io.clearProgress();
    torch.wasm.shutdown();
    torch.npu.setDevice(0);
  }
  const note =
    rt.numThreads === 2
      ? ""
      : `wasm started with ${rt.numThreads} thread(s): ${rt.singleThreadReason}`;
  if (typeof values.svg === "string") {
    const gmacs = (r: Row, i: number) => r.macs / (r.ms[i]! * 1e6);
    const svg = barChartSvg(
      `QuantConv2d throughput (median of ${roundCount} interleaved rounds)`,
      "GMAC/s",
      rows.map((r) => r.shape),
      CONTENDERS.map((name, i) => ({ name, values: rows.map((r) => gmacs(r, i)) })),
    );
    writeFileSync(values.svg, svg);
  }
  if (values.json) {
    io.out(
      JSON.stringify(
        { rounds: roundCount, threads: rt.numThreads, contenders: CONTENDERS, rows },
        null,
        2,
      ),
    );
    return 0;
  }
  const table = formatTable(
    [
      "shape (N,Cin,H,W,Cout,k,s,p,d)",
      "MMAC",
      ...CONTENDERS.map((c) => `${c} ms`),
      "wasm 2t/1t",
      "npu 910B us (modelled)",
    ],
    rows.map((r) => [
      r.shape,
      (r.macs / 1e6).toFixed(1),
      ...r.ms.map((ms) => ms.toFixed(3)),
      `${(r.ms[1]! / r.ms[2]!).toFixed(2)}x`,
      typeof r.npuModelledUs === "number" ? r.npuModelledUs.toFixed(2) : "refused",
    ]),
  );
  io.out(
    [
      `QuantConv2d (compiled, output read back), median ms per call of ${roundCount} interleaved rounds; npu: the simulator's modelled time, not measured`,
      table,
      ...(note ? [note] : []),
      ...(typeof values.svg === "string" ? [`chart written to ${values.svg}`] : []),
    ].join("\n"),
  );
  return 0;
};
