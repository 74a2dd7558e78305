// Runs the built CLI (dist/main.js) as a user's shell would: a child process, its exit code,
// stdout and stderr. `pnpm --filter @tsnpu/cli test` builds first (turbo's test dependsOn build).
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export const MAIN = fileURLToPath(new URL("../dist/main.js", import.meta.url));

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function tsnpu(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
  main: string = MAIN,
  cwd?: string,
): CliResult {
  const result = spawnSync(process.execPath, [main, ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, FORCE_COLOR: undefined, ...env },
    timeout: 120_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** util-linux's `script`, which runs a command on a pseudo-terminal (a TTY for stdout and stderr). */
export const hasScript = spawnSync("script", ["--version"]).status === 0;

/**
 * The built CLI on a 120-column pseudo-terminal: its exit code and everything it wrote (stdout
 * and stderr both go to the terminal). `CI` is unset: Node's hasColors() says no under CI=true.
 */
export function tsnpuOnTty(args: readonly string[], env: NodeJS.ProcessEnv = {}): CliResult {
  const command = [process.execPath, MAIN, ...args].map((w) => `"${w}"`).join(" ");
  const result = spawnSync("script", ["-qec", `stty cols 120 rows 40; ${command}`, "/dev/null"], {
    encoding: "utf8",
    env: {
      ...process.env,
      FORCE_COLOR: undefined,
      NO_COLOR: undefined,
      CI: undefined,
      TERM: "xterm-256color",
      ...env,
    },
    timeout: 120_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
