#!/usr/bin/env node
// tsnpu: the command line. `tsnpu --help` lists the commands; each command's module is loaded
// only when it runs, so help and argument mistakes answer at Node's start-up speed.
import { runCli } from "./cli/run.js";

process.exitCode = await runCli(process.argv.slice(2));
