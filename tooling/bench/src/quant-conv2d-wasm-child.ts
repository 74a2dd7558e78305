// Entry of a child process of the wasm QuantConv2d bench (started by quant-conv2d-wasm.ts
// through child-process.ts; not imported anywhere):
//   node --expose-gc quant-conv2d-wasm-child.ts --threads=2 --rounds=7 --shapes=A,B

import { parseArgs } from "node:util";
import { sendResult } from "./child-process.js";
import { timeInProcess } from "./quant-conv2d-wasm-process.js";

const { values } = parseArgs({
  options: { threads: { type: "string" }, rounds: { type: "string" }, shapes: { type: "string" } },
  strict: true,
});
const count = (name: string, text: string | undefined) => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`quant-conv2d-wasm-child: --${name} must be a positive integer, got ${text}`);
  return n;
};
if (!values.shapes) throw new Error("quant-conv2d-wasm-child: --shapes=A,B,... is required");
sendResult(
  await timeInProcess(
    count("threads", values.threads),
    values.shapes.split(","),
    count("rounds", values.rounds),
  ),
);
