#!/usr/bin/env node
// tsnpu: the command line.
//   tsnpu info
//   tsnpu profile --shape 1,64,56,56,64,3,1,1 [--soc Ascend910B|Ascend910_93|Ascend310P|all] [--json]
//   tsnpu check   --shape 1,4,8,3,4,3 [--soc ...]
import { check, info, profile } from "./commands.js";
import { SHAPE_FORMAT, parseShape } from "./shape.js";

const usage = `usage:
  tsnpu info                      backends, devices and simulated products
  tsnpu profile --shape S [--soc NAME|all] [--json]
                                  modelled time of one QuantConv2d per product
  tsnpu check --shape S [--soc NAME|all]
                                  whether each product accepts the shape, and why not
  S = ${SHAPE_FORMAT}`;

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const v = args[i + 1];
  if (v === undefined || v.startsWith("--")) throw new Error(`${name} needs a value`);
  return v;
}

function main(args: string[]): string {
  const [command, ...rest] = args;
  const shape = () => {
    const s = option(rest, "--shape");
    if (!s) throw new Error(`--shape is required\n${usage}`);
    return parseShape(s);
  };
  switch (command) {
    case "info":
      return info();
    case "profile":
      return profile(shape(), { soc: option(rest, "--soc"), json: rest.includes("--json") });
    case "check":
      return check(shape(), { soc: option(rest, "--soc") });
    case undefined:
    case "--help":
    case "help":
      return usage;
    default:
      throw new Error(`unknown command "${command}"\n${usage}`);
  }
}

try {
  console.log(main(process.argv.slice(2)));
} catch (e) {
  console.error(`tsnpu: ${(e as Error).message}`);
  process.exitCode = 2;
}
