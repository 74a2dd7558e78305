// BlazeFace (ONNX, via @tsnpu/onnx), float32, end to end (input upload to output readback):
// tsnpu cpu (compiled) and wasm (eager and compiled) against onnxruntime-web's wasm EP at the
// same thread count (1 and 2; one child process per count, onnxruntime-web fixes its count per
// process), interleaved rounds, medians; outputs checked against onnxruntime first; then
// where tsnpu wasm's time goes per op type. Not part of `pnpm bench` (the cpu reference is slow):
//   pnpm bench onnx [--rounds=N]
import { runChild } from "./child-process.js";
import type { ModelResult } from "./onnx-blazeface-process.js";

const ms = (v: number | undefined) => (v === undefined ? "-" : v.toFixed(1));

export async function runOnnxBlazeFaceBench(rounds = 7): Promise<void> {
  const results: ModelResult[] = [];
  for (const threads of [1, 2]) {
    results.push(
      ...(await runChild<ModelResult[]>(
        new URL("./onnx-blazeface-child.ts", import.meta.url),
        [`--threads=${threads}`, `--rounds=${rounds}`],
        ["--expose-gc"],
      )),
    );
  }
  console.log(
    `BlazeFace (ONNX) float32 end to end, median ms of ${rounds} interleaved rounds per process ` +
      "(tsnpu cpu: one run; tsnpu wasm refuses any cpu fallback)",
  );
  console.log(
    "model     | threads | tsnpu cpu | wasm eager | wasm compiled | ort-web wasm | eager/ort | compiled/ort | best compiled/ort | max err / max|ref|",
  );
  for (const r of results) {
    const m = r.medians;
    const ort = m.ort!;
    console.log(
      [
        r.model.padEnd(9),
        String(r.threads).padStart(7),
        ms(r.cpuMs ?? undefined).padStart(9),
        ms(m["wasm eager"]).padStart(10),
        ms(m["wasm compiled"]).padStart(13),
        ms(ort).padStart(12),
        `${(m["wasm eager"]! / ort).toFixed(2)}x`.padStart(9),
        `${(m["wasm compiled"]! / ort).toFixed(2)}x`.padStart(12),
        `${(r.best["wasm compiled"]! / r.best.ort!).toFixed(2)}x`.padStart(17),
        r.relError.padStart(17),
      ].join(" | "),
    );
  }
  console.log(
    "\nwhere tsnpu wasm's time goes (eager, per op type: each layer's fastest of 5 profiled runs)",
  );
  for (const r of results) {
    const total = r.byOp.reduce((a, [, t]) => a + t, 0);
    console.log(`${r.model}, ${r.threads} thread(s), ${total.toFixed(1)} ms:`);
    for (const [op, t, count] of [...r.byOp].sort((a, b) => b[1] - a[1]))
      console.log(
        `  ${op.padEnd(10)} ${String(count).padStart(3)} layers ${t.toFixed(2).padStart(8)} ms ${((100 * t) / total).toFixed(1).padStart(5)}%`,
      );
  }
}
