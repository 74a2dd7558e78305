import * as torch from "tsnpu";
import { loadOnnx } from "tsnpu/onnx";
import { quantize } from "tsnpu/quantization";
import { NETWORKS } from "./int8-network-process.js";
const threads = Number(process.argv[2] ?? 1);
await torch.wasm.ready({ numThreads: threads, ...(process.env.MPM ? { minParallelMacs: Number(process.env.MPM) } : {}), ...(process.env.SPIN ? { spinMs: Number(process.env.SPIN) } : {}) });
for (const ni of (process.env.NETS ?? "0,1").split(",").map(Number)) {
  const net = NETWORKS[ni]!;
  const bytes = await net.bytes();
  const calibration = [1, 2].map((k) => torch.keep(torch.tensor(net.input(k)).reshape([...net.shape])));
  const { model } = await quantize(await loadOnnx(bytes), calibration);
  model.to("wasm");
  const f = torch.compile(model, { backend: torch.getBackend("wasm") });
  const data = net.input(0);
  const run = () => torch.tidy(() => {
    const x = torch.tensor(data, { dtype: torch.float16, device: "wasm" }).reshape([...net.shape]);
    return (f(x) as torch.Tensor[]).map((t) => t.toTypedArray());
  });
  for (let i = 0; i < 15; i++) run();
  const ts: number[] = [];
  for (let i = 0; i < 40; i++) { const t = performance.now(); run(); ts.push(performance.now() - t); }
  ts.sort((a, b) => a - b);
  console.log(net.name, threads, "t median", ts[20]!.toFixed(2), "min", ts[0]!.toFixed(2));
}
process.exit(0);
