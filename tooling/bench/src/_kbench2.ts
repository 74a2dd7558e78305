// Temporary (not committed): process CPU time per op call, robust to a loaded machine.
import * as torch from "tsnpu";
import { SHAPES, quantProblem } from "./shapes.js";

function time(name: string, fn: () => void, iters: number) {
  for (let i = 0; i < Math.min(iters, 100); i++) fn();
  const rounds: number[] = [];
  for (let r = 0; r < 15; r++) {
    const c0 = process.cpuUsage();
    for (let i = 0; i < iters; i++) fn();
    const c = process.cpuUsage(c0);
    rounds.push((c.user + c.system) / iters);
  }
  rounds.sort((a, b) => a - b);
  console.log(`${name.padEnd(44)} ${rounds[7]!.toFixed(2).padStart(10)} us`);
}

await torch.wasm.ready({ numThreads: 1 });
const a = torch.rand([8, 8]);
const b = torch.rand([8, 8]);
time("cpu add 8x8", () => void a.add(b), 5000);
time("cpu sum dim1 8x8", () => void a.sum(1), 5000);
const aw = a.to("wasm"), bw = b.to("wasm");
time("wasm add 8x8", () => aw.add(bw).dispose(), 5000);
time("wasm relu 8x8", () => aw.relu().dispose(), 5000);
for (const label of ["F", "A"]) {
  const s = SHAPES.find((x) => x.label === label)!;
  const iters = label === "F" ? 1000 : 10;
  const { model, input } = quantProblem(s, "wasm");
  const run = torch.compile(model, { backend: torch.wasm.backend(), dynamic: false });
  time(`wasm QuantConv2d compiled ${label}`, () => run(input).dispose(), iters);
  time(`wasm QuantConv2d eager ${label}`, () => model.forward(input).dispose(), iters);
  if (label === "F") {
    const c = quantProblem(s, "cpu");
    const runC = torch.compile(c.model, { dynamic: false });
    time(`cpu QuantConv2d compiled ${label}`, () => void runC(c.input), iters);
    time(`cpu QuantConv2d eager ${label}`, () => void c.model.forward(c.input), iters);
    const n = quantProblem(s, "npu");
    time(`npu QuantConv2d eager ${label}`, () => void n.model.forward(n.input), 50);
  }
}
process.exit(0);
