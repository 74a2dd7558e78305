// The fuzzer's command line: flags -> a Command, with typed errors for bad flags.
//   pnpm fuzz [--cases N] [--seed S]    N random cases (default 10000) on every backend, then the table
//   pnpm fuzz --replay S:I               case I of seed S, on every backend, with its verdicts
//   pnpm fuzz --case FILE                a case saved as JSON (the shrunk reproducer of a failure)

import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { ArgumentError } from "@tsnpu/tensor";
import type { FuzzCase } from "./cases.js";

export const COMMAND = "pnpm fuzz";
/** The default seed: a run without --seed is the same run every time. */
export const DEFAULT_SEED = 20261202;

export type Command =
  | { readonly kind: "run"; readonly seed: number; readonly cases: number }
  | { readonly kind: "replay"; readonly seed: number; readonly index: number }
  | { readonly kind: "case"; readonly file: string }
  | { readonly kind: "help" };

function integer(flag: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^-?\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new ArgumentError(COMMAND, flag, `an integer in [${min}, ${max}]`, JSON.stringify(text));
  }
  return n;
}

/** Parses the flags; a bad flag or value throws an ArgumentError naming it. */
export function parseCommand(argv: readonly string[]): Command {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        cases: { type: "string" },
        seed: { type: "string" },
        replay: { type: "string" },
        case: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    throw new ArgumentError(
      COMMAND,
      "flags",
      "--cases N, --seed S, --replay S:I, --case FILE or --help",
      (e as Error).message,
    );
  }
  if (values.help) return { kind: "help" };
  const modes = ["replay", "case"].filter((k) => values[k] !== undefined);
  if (
    modes.length > 1 ||
    (modes.length === 1 && (values.cases !== undefined || values.seed !== undefined))
  ) {
    throw new ArgumentError(
      COMMAND,
      `--${modes[0]}`,
      "alone (it runs one case)",
      `together with ${Object.keys(values)
        .filter((k) => k !== modes[0])
        .map((k) => `--${k}`)
        .join(", ")}`,
    );
  }
  if (typeof values.replay === "string") {
    const m = /^(-?\d+):(\d+)$/.exec(values.replay);
    if (!m)
      throw new ArgumentError(
        COMMAND,
        "--replay",
        "SEED:INDEX, e.g. 20261202:17",
        JSON.stringify(values.replay),
      );
    return {
      kind: "replay",
      seed: integer("--replay", m[1]!, -(2 ** 31), 2 ** 32 - 1),
      index: integer("--replay", m[2]!, 0, 2 ** 31),
    };
  }
  if (typeof values.case === "string") return { kind: "case", file: values.case };
  return {
    kind: "run",
    seed:
      values.seed === undefined
        ? DEFAULT_SEED
        : integer("--seed", String(values.seed), -(2 ** 31), 2 ** 32 - 1),
    cases:
      values.cases === undefined ? 10_000 : integer("--cases", String(values.cases), 1, 10_000_000),
  };
}

/** Reads a saved case; a relative path is taken from where `pnpm fuzz` was typed (INIT_CWD). */
export function readCase(file: string): FuzzCase {
  try {
    return JSON.parse(
      readFileSync(resolve(process.env.INIT_CWD ?? process.cwd(), file), "utf8"),
    ) as FuzzCase;
  } catch (e) {
    throw new ArgumentError(
      COMMAND,
      "--case",
      "a readable JSON file written by the fuzzer",
      `${file}: ${(e as Error).message}`,
    );
  }
}

export const HELP = `usage: ${COMMAND} [--cases N] [--seed S] | --replay S:I | --case FILE

Random QuantConv2d / npuQuantConv2d / npuTransQuantParam cases on cpu (vs the spec-literal
reference), wasm with 1 and 2 threads and every simulated npu product (vs cpu), eager and compiled.
  --cases N     cases to run (default 10000)
  --seed S      the run's seed (default ${DEFAULT_SEED})
  --replay S:I  rerun case I of seed S and print each backend's verdict
  --case FILE   rerun a case saved as JSON (the minimal reproducer a failure prints)`;
