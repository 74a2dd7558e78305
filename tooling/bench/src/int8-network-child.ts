// Entry of a child process of the int8 network bench (started by int8-network.ts through
// child-process.ts; not imported anywhere):
//   node int8-network-child.ts --threads=2 --rounds=7
import { parseArgs } from "node:util";
import { sendResult } from "./child-process.js";
import { timeInt8Networks } from "./int8-network-process.js";

const { values } = parseArgs({
  options: { threads: { type: "string" }, rounds: { type: "string" } },
  strict: true,
});
sendResult(await timeInt8Networks(Number(values.threads), Number(values.rounds)));
