// Entry of `pnpm --filter @tsnpu/bench bench`: every benchmark of the repo, one after another.

import { runQuantConv2dCpuBench } from "./quant-conv2d-cpu.js";

// tfjs prints a hint about tfjs-node on first use; it is not for us.
const warn = console.warn;
console.warn = (...args: unknown[]) => {
  if (String(args[0]).includes("tfjs-node")) return;
  warn(...args);
};

await runQuantConv2dCpuBench();
