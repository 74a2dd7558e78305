// The app every variant of the browser test loads (bundled, or bare through an import map): one
// QuantConv2d on the wasm device and on the cpu, then "RESULT {json}" or "ERROR stack" in #out.
// Plain JavaScript with bare imports, exactly what a user's bundler is given.
import * as torch from "tsnpu";
import { QuantConv2d } from "tsnpu/contrib";

async function run() {
  const rt = await torch.wasm.ready({ numThreads: 2, minParallelMacs: 0 });
  torch.manualSeed(3);
  const m = new QuantConv2d(16, 32, 3, torch.float16, { padding: 1 });
  m.weight.data = torch.randint(-128, 128, [32, 16, 3, 3], { dtype: torch.int8 });
  m.scale.data = torch.rand([32]).mul(1e-3);
  m.bias.data = torch.randint(-1000, 1000, [32], { dtype: torch.int32 });
  const x = torch.randint(-128, 128, [1, 16, 24, 24], { dtype: torch.int8 });
  const cpu = m.forward(x).toTypedArray();
  m.to("wasm");
  const y = torch.compile(m, { backend: torch.wasm.backend() })(x.to("wasm")).cpu().toTypedArray();
  const identical = cpu.length === y.length && cpu.every((v, i) => v === y[i]);
  return {
    isolated: globalThis.crossOriginIsolated,
    threads: rt.numThreads,
    identical,
    n: y.length,
  };
}

const out = document.getElementById("out");
run().then(
  (result) => (out.textContent = `RESULT ${JSON.stringify(result)}`),
  (e) => (out.textContent = `ERROR ${e?.stack ?? e}`),
);
