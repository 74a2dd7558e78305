// `pnpm bench`: every benchmark of the repo, one after another, each printing its table.
//   pnpm bench            all
//   pnpm bench cpu        only the cpu table (likewise: npu, wasm)

import { runQuantConv2dCpuBench } from "./quant-conv2d-cpu.js";
import { runNpuSimBench } from "./npu-sim.js";
import { runQuantConv2dWasmBench } from "./quant-conv2d-wasm.js";
import { runWasmScalingBench } from "./wasm-scaling.js";

// tfjs prints a hint about tfjs-node on first use; it is not for us.
const warn = console.warn;
console.warn = (...args: unknown[]) => {
  if (String(args[0]).includes("tfjs-node")) return;
  warn(...args);
};

const only = process.argv.slice(2).filter((a) => a !== "--");
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
