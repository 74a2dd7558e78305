// `pnpm bench readback [--threads=N]`: reading a result back from wasm (issue 16). Shape A's
// compiled QuantConv2d makes a 200,704-element float16 tensor; `.cpu()` and `toTypedArray()` of
// it are timed interleaved with the conv itself (round after round, medians), next to the
// readback as it was before (a copy into an intermediate array, then a second copy), so the
// table compares the two in the same run. Goal: each readback under 10% of the conv.
// A second table times a compiled 2-conv int8 chain (shape A, conv -> relu -> npuQuantize ->
// conv) fused against the same graph unfused (the first conv's output also returned, which
// rules the fusion out), outputs checked equal first.

import * as torch from "tsnpu";
import { Tensor } from "@tsnpu/tensor";
import { SHAPES, quantProblem } from "./shapes.js";
import { formatTable, median } from "./measure.js";

const ROUNDS = 60;

export async function runReadbackBench(threads = 1): Promise<void> {
  await torch.wasm.ready({ numThreads: threads });
  const shape = SHAPES.find((s) => s.label === "A")!;
  const { model, input } = quantProblem(shape, "wasm");
  const run = torch.compile(model, { backend: torch.wasm.backend() });
  const y = run(input);
  // Checked before timing: both readbacks give the conv's bits.
  const want = y.toTypedArray() as Uint16Array;
  const got = y.cpu().toTypedArray() as Uint16Array;
  if (got.length !== want.length || got.some((b, i) => b !== want[i]))
    throw new Error("readback: .cpu() differs from toTypedArray()");
  const contenders: [string, () => unknown][] = [
    ["compiled QuantConv2d (shape A)", () => torch.tidy(() => void run(input))],
    [".cpu()", () => y.cpu().dispose()],
    [".toTypedArray()", () => y.toTypedArray()],
    [
      "before: toTypedArray() then a second copy (the old .cpu())",
      () => {
        const out = Tensor.forOutput(y.shape, y.dtype, "cpu");
        out.storage.data.set(y.toTypedArray() as never);
        out.dispose();
      },
    ],
  ];
  for (const [, f] of contenders) for (let i = 0; i < 5; i++) f();
  const times = contenders.map((): number[] => []);
  for (let r = 0; r < ROUNDS; r++) {
    contenders.forEach(([, f], i) => {
      const t0 = performance.now();
      f();
      times[i]!.push(performance.now() - t0);
    });
  }
  const medians = times.map(median);
  // The 10th percentile: the copy itself, without the collections that fresh arrays trigger.
  const p10 = times.map((t) => [...t].sort((a, b) => a - b)[Math.floor(t.length / 10)]!);
  const conv = medians[0]!;
  console.log(
    `Readback of a ${y.numel()}-element float16 wasm tensor (${threads} thread(s), median of ${ROUNDS} interleaved rounds; garbage collection included)`,
  );
  console.log(
    formatTable(
      ["call", "median ms", "% of the conv", "p10 ms", "p10 % of the conv's p10"],
      contenders.map(([name], i) => [
        name,
        medians[i]!.toFixed(3),
        ((100 * medians[i]!) / conv).toFixed(1),
        p10[i]!.toFixed(3),
        ((100 * p10[i]!) / p10[0]!).toFixed(1),
      ]),
      1,
    ),
  );
  y.dispose();
  model.dispose();
  await runFusionBench(threads);
}

/** Medians of interleaved rounds of `calls`. */
function interleaved(calls: readonly (() => unknown)[], rounds: number): number[] {
  for (const f of calls) for (let i = 0; i < 3; i++) f();
  const times = calls.map((): number[] => []);
  for (let r = 0; r < rounds; r++) {
    calls.forEach((f, i) => {
      const t0 = performance.now();
      f();
      times[i]!.push(performance.now() - t0);
    });
  }
  return times.map(median);
}

async function runFusionBench(threads: number): Promise<void> {
  const shape = SHAPES.find((s) => s.label === "A")!;
  const first = quantProblem(shape, "wasm");
  const second = quantProblem(shape, "wasm");
  const scales = torch.full([shape.cout], 0.05).to("wasm");
  const zeroPoints = torch.zeros([shape.cout], { dtype: torch.int8 }).to("wasm");
  const middle = (x: Tensor) =>
    torch.npuQuantize(first.model.forward(x).relu(), scales, zeroPoints, torch.int8);
  const fusedFn = (x: Tensor) => second.model.forward(middle(x));
  const unfusedFn = (x: Tensor) => {
    const y = first.model.forward(x);
    const q = torch.npuQuantize(y.relu(), scales, zeroPoints, torch.int8);
    return [second.model.forward(q), y];
  };
  const fused = torch.Graph.trace(fusedFn, [first.input]);
  const unfused = torch.Graph.trace(unfusedFn, [first.input]);
  if (fused.fused.length !== 1 || unfused.fused.length !== 0)
    throw new Error("fusion bench: the graphs did not fuse as intended");
  const a = (fused.run(first.input) as Tensor).toTypedArray() as Uint16Array;
  const b = (unfused.run(first.input) as Tensor[])[0]!.toTypedArray() as Uint16Array;
  if (a.some((v, i) => v !== b[i])) throw new Error("fusion bench: fused and unfused differ");
  const [f, u] = interleaved(
    [
      () => torch.tidy(() => void fused.run(first.input)),
      () => torch.tidy(() => void unfused.run(first.input)),
    ],
    ROUNDS,
  ) as [number, number];
  console.log("");
  console.log(
    `Compiled 2-conv int8 chain, shape A: conv -> relu -> npuQuantize -> conv (${threads} thread(s), median of ${ROUNDS} interleaved rounds, outputs equal)`,
  );
  console.log(
    formatTable(
      ["graph", "median ms", "vs unfused"],
      [
        ["fused (conv + relu + quantize in one step)", f.toFixed(3), `${(u / f).toFixed(2)}x`],
        ["unfused (the first conv's output also returned)", u.toFixed(3), "1.00x"],
      ],
      1,
    ),
  );
  fused.dispose();
  unfused.dispose();
  first.model.dispose();
  second.model.dispose();
}
