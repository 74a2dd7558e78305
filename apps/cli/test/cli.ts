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
