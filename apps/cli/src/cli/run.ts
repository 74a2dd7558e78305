// From argv to an exit code: picks the command, parses its arguments, runs it, and turns errors
// into one line on stderr (exit 2 for the command line, 1 for the work; the stack only with --debug).
import { readFileSync } from "node:fs";
import { commands } from "../commands/index.js";
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError } from "./errors.js";
import { Io } from "./io.js";
import { type CommandSpec, commandHelp, generalHelp, parseCommandArgs } from "./spec.js";
import { didYouMean } from "./suggest.js";

function version(): string {
  const manifest = new URL("../package.json", import.meta.url);
  return (JSON.parse(readFileSync(manifest, "utf8")) as { version: string }).version;
}

function findCommand(name: string): CommandSpec {
  const spec = commands.find((c) => c.name === name);
  if (spec) return spec;
  const names = commands.map((c) => c.name);
  throw new UsageError(
    `unknown command "${name}"`,
    didYouMean(name, names) ?? `the commands are ${names.join(", ")}`,
  );
}

async function dispatch(argv: readonly string[], io: Io): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    io.err(generalHelp(commands));
    return EXIT_USAGE;
  }
  if (first === "--help" || first === "-h") {
    io.out(generalHelp(commands));
    return EXIT_OK;
  }
  if (first === "--version") {
    io.out(version());
    return EXIT_OK;
  }
  if (first === "help") {
    if (rest.length > 1) throw new UsageError(`help takes one command, got "${rest.join(" ")}"`);
    io.out(rest[0] === undefined ? generalHelp(commands) : commandHelp(findCommand(rest[0])));
    return EXIT_OK;
  }
  if (first.startsWith("-"))
    throw new UsageError(`unknown option ${first} (options come after the command)`);
  const spec = findCommand(first);
  const parsed = parseCommandArgs(spec, rest);
  if (parsed === "help") {
    io.out(commandHelp(spec));
    return EXIT_OK;
  }
  const { run } = await spec.load();
  return await run(parsed, io);
}

function report(error: unknown, io: Io, command: string, debug: boolean): number {
  const s = io.errStyle;
  const prefix = s.red(`tsnpu${command ? ` ${command}` : ""}:`);
  const message = error instanceof Error ? error.message : String(error);
  io.err(`${prefix} ${message}`);
  if (error instanceof UsageError) {
    if (error.hint) io.err(`  ${error.hint}`);
    io.err(s.dim(`run "tsnpu ${command ? `${command} ` : ""}--help" for usage`));
  }
  if (debug && error instanceof Error && error.stack) io.err(s.dim(error.stack));
  return error instanceof UsageError ? EXIT_USAGE : EXIT_FAILED;
}

export async function runCli(argv: readonly string[], io: Io = new Io()): Promise<number> {
  const debug = argv.includes("--debug");
  const command = commands.some((c) => c.name === argv[0]) ? argv[0]! : "";
  try {
    return await dispatch(argv, io);
  } catch (error) {
    return report(error, io, command, debug);
  } finally {
    io.clearProgress();
  }
}
