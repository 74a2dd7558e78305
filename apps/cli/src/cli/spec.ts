// How a command is declared (options, positionals, help text) and how its arguments are parsed:
// node:util parseArgs splits the words (`--flag=value` and `--flag value`, `-h`, `--`), and the
// checks here turn every word it could not place into a UsageError with a hint, never a silent
// ignore. Commands are loaded lazily so `--help` and mistakes answer without loading tsnpu.
import { parseArgs } from "node:util";
import { UsageError } from "./errors.js";
import type { Io } from "./io.js";
import { didYouMean } from "./suggest.js";

export interface OptionSpec {
  readonly type: "string" | "boolean";
  readonly short?: string;
  /** The value's placeholder in the help, e.g. "S" or "NAME|all". */
  readonly value?: string;
  readonly description: string;
  /** The only values accepted (checked with a did-you-mean). */
  readonly choices?: readonly string[];
}

export interface PositionalSpec {
  readonly name: string;
  readonly optional?: boolean;
}

export type Values = Readonly<Record<string, string | boolean | undefined>>;

export interface ParsedArgs {
  readonly values: Values;
  readonly positionals: readonly string[];
}

/** Runs the command; resolves to the exit code (0, or 1 when the work failed). */
export type CommandRun = (args: ParsedArgs, io: Io) => Promise<number> | number;

export interface CommandSpec {
  readonly name: string;
  readonly summary: string;
  /** Forms of the command after `tsnpu <name> `. */
  readonly usage: readonly string[];
  readonly positionals: readonly PositionalSpec[];
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** Paragraphs after the options (what is printed, exit codes). */
  readonly details?: string;
  readonly examples: readonly string[];
  readonly load: () => Promise<{ readonly run: CommandRun }>;
}

/** Options every command takes. */
export const COMMON_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  help: { type: "boolean", short: "h", description: "show this help" },
  debug: { type: "boolean", description: "show the stack trace of an error" },
};

const flag = (name: string) => `--${name}`;

function checkValue(name: string, option: OptionSpec, value: string | undefined, inline: boolean) {
  // A following word that looks like an option is not taken as the value: `--soc --json`.
  if (value === undefined || value === "" || (!inline && /^-[^\d]/.test(value)))
    throw new UsageError(`${flag(name)} needs a value (${option.value ?? "a value"})`);
  if (option.choices && !option.choices.includes(value))
    throw new UsageError(
      `${flag(name)} must be one of ${option.choices.join(", ")}, got "${value}"`,
      didYouMean(value, option.choices),
    );
}

/** The command's arguments, or `"help"` when -h/--help is among them. */
export function parseCommandArgs(spec: CommandSpec, args: readonly string[]): ParsedArgs | "help" {
  const options = { ...spec.options, ...COMMON_OPTIONS };
  const config = Object.fromEntries(
    Object.entries(options).map(([name, o]) => [
      name,
      o.short ? { type: o.type, short: o.short } : { type: o.type },
    ]),
  );
  const { tokens } = parseArgs({
    args: [...args],
    options: config,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  if (tokens.some((t) => t.kind === "option" && t.name === "help")) return "help";
  const values: Record<string, string | boolean> = {};
  const positionals: string[] = [];
  for (const token of tokens) {
    if (token.kind === "option-terminator") continue;
    if (token.kind === "positional") {
      positionals.push(token.value);
      continue;
    }
    const option = options[token.name];
    if (!option) {
      const names = Object.keys(options);
      const word = token.rawName.replace(/^-+/, "");
      throw new UsageError(
        `unknown option ${token.rawName}`,
        didYouMean(word, names, flag) ?? `the options are ${names.map(flag).join(", ")}`,
      );
    }
    if (token.name in values) throw new UsageError(`${flag(token.name)} is given twice`);
    if (option.type === "boolean") {
      if (token.inlineValue) throw new UsageError(`${flag(token.name)} takes no value`);
      values[token.name] = true;
    } else {
      checkValue(token.name, option, token.value, token.inlineValue === true);
      values[token.name] = token.value!;
    }
  }
  const max = spec.positionals.length;
  if (positionals.length > max) {
    const stray = positionals[max]!;
    throw new UsageError(
      max === 0
        ? `${spec.name} takes no arguments, got "${stray}"`
        : `unexpected argument "${stray}" (${spec.name} takes ${spec.positionals.map((p) => `<${p.name}>`).join(" ")})`,
    );
  }
  const missing = spec.positionals.slice(positionals.length).find((p) => !p.optional);
  if (missing) throw new UsageError(`<${missing.name}> is required`);
  return { values, positionals };
}

function optionRows(options: Readonly<Record<string, OptionSpec>>): [string, string][] {
  return Object.entries(options).map(([name, o]) => [
    `${o.short ? `-${o.short}, ` : ""}${flag(name)}${o.value ? ` ${o.value}` : ""}`,
    o.description,
  ]);
}

function columns(rows: readonly [string, string][]): string[] {
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`);
}

export function commandHelp(spec: CommandSpec): string {
  return [
    `tsnpu ${spec.name}: ${spec.summary}`,
    "",
    "usage:",
    ...spec.usage.map((u) => `  tsnpu ${spec.name} ${u}`.trimEnd()),
    "",
    "options:",
    ...columns(optionRows({ ...spec.options, ...COMMON_OPTIONS })),
    ...(spec.details ? ["", spec.details] : []),
    "",
    "examples:",
    ...spec.examples.map((e) => `  ${e}`),
  ].join("\n");
}

export function generalHelp(specs: readonly CommandSpec[]): string {
  return [
    "tsnpu: int8 QuantConv2d (torch_npu semantics) on cpu, wasm and simulated Ascend NPUs",
    "",
    "usage: tsnpu <command> [options]",
    "",
    "commands:",
    ...columns(specs.map((s) => [s.name, s.summary])),
    "",
    'Run "tsnpu <command> --help" (or "tsnpu help <command>") for a command\'s options.',
    "Exit codes: 0 done, 1 the work failed, 2 the command line was wrong.",
  ].join("\n");
}
