// QuantConv2d on the cpu device, through the public API (eager op, and compile()d module
// whose weights are packed once), against @tensorflow/tfjs-backend-cpu's float32 conv2d on the
// same shapes, in one process, interleaved.

import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import * as torch from "tsnpu";
import { formatTable, measureShape, type Contender } from "./measure.js";
import { SHAPES, macsOf, quantProblem, shapeText } from "./shapes.js";

const TFJS = "tfjs-backend-cpu conv2d f32";

const contenders: Contender[] = [
  {
    name: "tsnpu QuantConv2d eager",
    prepare(s) {
      const { model, input } = quantProblem(s, "cpu");
      return { run: () => void model.forward(input) };
    },
  },
  {
    name: "tsnpu QuantConv2d compiled",
    prepare(s) {
      const { model, input } = quantProblem(s, "cpu");
      const run = torch.compile(model, { dynamic: false });
      return { run: () => void run(input) };
    },
  },
  {
    name: TFJS,
    prepare(s) {
      const x = tf.randomNormal([s.n, s.h, s.w, s.cin], 0, 1, "float32");
      const filter = tf.randomNormal([s.k, s.k, s.cin, s.cout], 0, 1, "float32");
      const pad: [[number, number], [number, number], [number, number], [number, number]] = [
        [0, 0],
        [s.pad, s.pad],
        [s.pad, s.pad],
        [0, 0],
      ];
      return {
        run: () => {
          const y = tf.conv2d(x as tf.Tensor4D, filter as tf.Tensor4D, s.stride, pad);
          y.dataSync();
          y.dispose();
        },
        dispose: () => {
          x.dispose();
          filter.dispose();
        },
      };
    },
  },
];

export async function runQuantConv2dCpuBench(
  log: (line: string) => void = console.log,
): Promise<void> {
  await tf.setBackend("cpu");
  const rows: string[][] = [];
  for (const shape of SHAPES) {
    const ms = measureShape(shape, contenders);
    const tfjs = ms.find((m) => m.contender === TFJS)!.medianMs;
    for (const m of ms) {
      rows.push([
        shape.label,
        shapeText(shape),
        m.contender,
        m.medianMs.toFixed(3),
        (macsOf(shape) / m.medianMs / 1e6).toFixed(3),
        String(m.runs),
        m.contender === TFJS ? "1.00x" : `${(tfjs / m.medianMs).toFixed(2)}x`,
      ]);
    }
  }
  log(
    "QuantConv2d int8 on the tsnpu cpu device vs float32 conv2d on tfjs-backend-cpu, one thread, medians of interleaved runs",
  );
  log("vs tfjs = tfjs median / this row's median (higher is better for tsnpu; bar: >= 3x on A-E)");
  log(
    formatTable(
      ["shape", "N,Cin,H,W,Cout,k,s,p", "contender", "median ms", "GMAC/s", "runs", "vs tfjs"],
      rows,
      3,
    ),
  );
}
