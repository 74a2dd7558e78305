// Running a command and keeping what it printed, so a failed check can show why.
import { spawn } from "node:child_process";

export interface RunResult {
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The environment a user's shell would have: without what pnpm adds for a script (npm_*, pnpm_*
 * settings that npm would read as its own, and NODE_PATH, through which require() would find the
 * workspace's packages and hide a dependency a tarball forgot).
 */
export const USER_ENV: NodeJS.ProcessEnv = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => !/^(npm_|pnpm_)/i.test(key) && key !== "NODE_PATH"),
);

/** Runs `command args` in `cwd`; rejects with the command line and its output when it exits non-zero. */
export function run(
  command: string,
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv = USER_ENV,
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve({ stdout, stderr });
      else
        reject(
          new Error(
            `${command} ${args.join(" ")} (in ${cwd}) exited with ${code}\n${stdout}${stderr}`.trimEnd(),
          ),
        );
    });
  });
}

/** Runs a JavaScript file with the current Node, as a user's project would. */
export function runNode(args: readonly string[], cwd: string): Promise<RunResult> {
  return run(process.execPath, args, cwd);
}
