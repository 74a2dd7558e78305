#!/usr/bin/env node
// tsnpu: the command line. `tsnpu --help` lists the commands; each command's module is loaded
// only when it runs, so help and argument mistakes answer at Node's start-up speed.
import { runCli } from "./cli/run.js";

// `tsnpu profile model.onnx | head`: the reader went away; stop quietly, as Unix tools do.
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code !== "EPIPE") throw e;
  process.exit(process.exitCode ?? 0);
});

process.exitCode = await runCli(process.argv.slice(2));
