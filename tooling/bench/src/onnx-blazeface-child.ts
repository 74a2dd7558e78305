// Entry of a child process of the BlazeFace bench (started by onnx-blazeface.ts through
// child-process.ts; not imported anywhere):
//   node onnx-blazeface-child.ts --threads=2 --rounds=7
import { parseArgs } from "node:util";
import { sendResult } from "./child-process.js";
import { timeBlazeFace } from "./onnx-blazeface-process.js";

const { values } = parseArgs({
  options: { threads: { type: "string" }, rounds: { type: "string" } },
  strict: true,
});
sendResult(await timeBlazeFace(Number(values.threads), Number(values.rounds)));
