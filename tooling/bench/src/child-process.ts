// The protocol between a benchmark and the child processes it measures in: the parent runs a
// script with arguments; the child prints one line "RESULT <json>" on stdout and exits 0.
// Anything else the child prints on stdout is ignored; its stderr goes to the parent's.

import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const PREFIX = "RESULT ";

/** Runs `script` (a module URL) in a new Node process with `nodeFlags` and `args`; resolves with its result. */
export function runChild<T>(
  script: URL,
  args: readonly string[],
  nodeFlags: readonly string[] = [],
): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [...process.execArgv, ...nodeFlags, fileURLToPath(script), ...args],
      {
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.on("exit", (code) => {
      const line = out.split("\n").find((l) => l.startsWith(PREFIX));
      if (code !== 0 || !line)
        reject(
          new Error(
            `bench child ${fileURLToPath(script)} ${args.join(" ")} failed with code ${code}:\n${out}`,
          ),
        );
      else resolve(JSON.parse(line.slice(PREFIX.length)) as T);
    });
  });
}

/**
 * Sends `value` to the parent and exits once the pipe has taken all of it (a write to a pipe
 * is asynchronous, and exiting at once cut long results off). Numbers are rounded to 0.01 to
 * keep the line short.
 */
export function sendResult(value: unknown): void {
  const line =
    PREFIX +
    JSON.stringify(value, (_key, v: unknown) =>
      typeof v === "number" ? Math.round(v * 100) / 100 : v,
    ) +
    "\n";
  process.stdout.write(line, () => process.exit(0));
}
