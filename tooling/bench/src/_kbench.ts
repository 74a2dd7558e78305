// Temporary op-level timing (not committed): dispatch overhead and QuantConv2d through the public API.
import * as torch from "tsnpu";
import { SHAPES, quantProblem } from "./shapes.js";

function time(name: string, fn: () => void, iters: number) {
  for (let i = 0; i < Math.min(iters, 50); i++) fn();
  const rounds: number[] = [];
  for (let r = 0; r < 9; r++) {
    const t0 = performance.now();
    for (let i = 0; i < iters; i++) fn();
    rounds.push((performance.now() - t0) / iters);
  }
  rounds.sort((a, b) => a - b);
  console.log(`${name.padEnd(44)} ${(rounds[4]! * 1000).toFixed(2).padStart(10)} us`);
}

await torch.wasm.ready({ numThreads: 1 });
const a = torch.rand([8, 8]);
const b = torch.rand([8, 8]);
time("cpu add 8x8", () => void a.add(b), 20000);
time("cpu sum dim1 8x8", () => void a.sum(1), 20000);
const aw = a.to("wasm"), bw = b.to("wasm");

time("wasm add 8x8", () => { const y = aw.add(bw); y.dispose(); }, 20000);
time("wasm relu 8x8", () => { const y = aw.relu(); y.dispose(); }, 20000);
for (const label of ["F", "A", "D"]) {
  const s = SHAPES.find((x) => x.label === label)!;
  const iters = label === "F" ? 2000 : 30;
  {
    const { model, input } = quantProblem(s, "wasm");
    const run = torch.compile(model, { backend: torch.wasm.backend(), dynamic: false });
    time(`wasm QuantConv2d compiled ${label}`, () => { const y = run(input); y.dispose(); }, iters);
    time(`wasm QuantConv2d eager ${label}`, () => { const y = model.forward(input); y.dispose(); }, iters);
  }
  if (label === "F") {
    const { model, input } = quantProblem(s, "cpu");
    const run = torch.compile(model, { dynamic: false });
    time(`cpu QuantConv2d compiled ${label}`, () => void run(input), iters);
    time(`cpu QuantConv2d eager ${label}`, () => void model.forward(input), iters);
    const m2 = quantProblem(s, "npu");
    time(`npu QuantConv2d eager ${label}`, () => void m2.model.forward(m2.input), 200);
  }
}
process.exit(0);
