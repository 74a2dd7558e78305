// `pnpm bench`: every benchmark of the repo, one after another, each printing its table.
//   pnpm bench            all
//   pnpm bench cpu        only the cpu table (likewise: npu, wasm, print)
//   pnpm bench memory [--calls=N]   wasm memory over loops of N calls (default 100,000; memory.ts)
//   pnpm bench wasm-ab --base-ref=REF [--threads=N] [--shapes=A,B]   two kernel builds (wasm-ab.ts)
//   pnpm bench onnx [--rounds=N]   BlazeFace through @tsnpu/onnx vs onnxruntime-web (onnx-blazeface.ts)
//   pnpm bench npu-network [--rounds=N] [--trace=FILE]   BlazeFace front on the simulated npu: profiles, bits, wall time vs cpu (npu-network.ts)
//   pnpm bench npu-int8   the quantized MNIST CNN and BlazeFace on the simulated npu, three products (npu-int8.ts)
//   pnpm bench readback [--threads=N]   .cpu() / toTypedArray() of shape A's output vs the conv (readback.ts)
//   pnpm bench int8 [--rounds=N]   int8 networks end to end vs onnxruntime-web (int8-network.ts)

import { rmSync } from "node:fs";
import { dirname } from "node:path";
import { runMemoryBench } from "./memory.js";
import { runQuantConv2dCpuBench } from "./quant-conv2d-cpu.js";
import { runNpuSimBench } from "./npu-sim.js";
import { runQuantConv2dWasmBench } from "./quant-conv2d-wasm.js";
import { runWasmScalingBench } from "./wasm-scaling.js";
import { buildBaseline, runWasmAbBench } from "./wasm-ab.js";
import { runOnnxBlazeFaceBench } from "./onnx-blazeface.js";
import { runInt8NetworkBench } from "./int8-network.js";
import { runPrintBench } from "./print.js";
import { runReadbackBench } from "./readback.js";
import { runNpuNetworkBench } from "./npu-network.js";
import { runNpuInt8Bench } from "./npu-int8.js";

// tfjs prints a hint about tfjs-node on first use; it is not for us.
const warn = console.warn;
console.warn = (...args: unknown[]) => {
  if (String(args[0]).includes("tfjs-node")) return;
  warn(...args);
};

const args = process.argv.slice(2).filter((a) => a !== "--");
const only = args.filter((a) => !a.startsWith("--"));
const option = (name: string) =>
  args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const wants = (name: string) => only.length === 0 || only.includes(name);

if (wants("cpu")) await runQuantConv2dCpuBench();
if (wants("npu")) {
  console.log("");
  runNpuSimBench();
}
if (wants("wasm")) {
  console.log("");
  await runQuantConv2dWasmBench();
  console.log("");
  await runWasmScalingBench();
}
if (wants("print")) {
  console.log("");
  runPrintBench();
}
// Not part of "all": slow (the cpu reference conv runs BlazeFace).
if (only.includes("onnx")) await runOnnxBlazeFaceBench(Number(option("rounds") ?? 7));
// Not part of "all": slow (quantize() and the cpu reference run every network).
if (only.includes("int8")) await runInt8NetworkBench(Number(option("rounds") ?? 7));
// Not part of "all": one figure of issue 16.
if (only.includes("readback")) await runReadbackBench(Number(option("threads") ?? "1"));
// Not part of "all": slow (the cpu reference runs BlazeFace).
if (only.includes("npu-network"))
  await runNpuNetworkBench(Number(option("rounds") ?? 5), option("trace"));
// Not part of "all": quantize() runs three networks first.
if (only.includes("npu-int8")) await runNpuInt8Bench();
// Not part of "all": a soak, not a timing.
if (only.includes("memory")) {
  const calls = Number(option("calls") ?? "100000");
  if (!Number.isInteger(calls) || calls < 1)
    throw new Error(`--calls must be a positive integer, got ${option("calls")}`);
  await runMemoryBench(calls);
}
// Not part of "all": it needs a baseline build.
if (only.includes("wasm-ab")) {
  const ref = option("base-ref");
  const base = ref ? buildBaseline(ref) : option("base");
  if (!base)
    throw new Error(
      "pnpm bench wasm-ab needs --base-ref=REF (a git ref to build) or --base=DIR (a directory with tsnpu-kernels.wasm and tsnpu-kernels-st.wasm)",
    );
  const threads = Number(option("threads") ?? "1");
  if (!Number.isInteger(threads) || threads < 1)
    throw new Error(`--threads must be a positive integer, got ${option("threads")}`);
  try {
    await runWasmAbBench({ base, threads, labels: (option("shapes") ?? "A,B,C,D,E").split(",") });
  } finally {
    if (ref) rmSync(dirname(base), { recursive: true, force: true }); // the temporary build
  }
}
