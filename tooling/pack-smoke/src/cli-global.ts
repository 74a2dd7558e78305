// The CLI as `npm install --global` puts it on a user's PATH: every tarball installed globally
// into a throwaway prefix, then the `tsnpu` bin run from there (its start-up, the golden vectors
// shipped in the package, and an exit code).
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { run } from "./exec.js";
import type { Tarball } from "./workspace.js";

export async function checkGlobalCli(prefix: string, tarballs: readonly Tarball[]): Promise<void> {
  mkdirSync(prefix, { recursive: true });
  await run(
    "npm",
    [
      "install",
      "--global",
      "--prefix",
      prefix,
      "--no-audit",
      "--no-fund",
      "--prefer-offline",
      "--loglevel=error",
      ...tarballs.map((t) => t.file),
    ],
    prefix,
  );
  const tsnpu = join(prefix, "bin", "tsnpu");
  const { stdout } = await run(tsnpu, ["verify", "--device", "cpu"], prefix);
  if (!/every vector matches bit for bit/.test(stdout))
    throw new Error(`tsnpu verify --device cpu printed:\n${stdout}`);
  const refused = await run(
    tsnpu,
    ["check", "--shape", "1,4,8,3,4,3", "--soc", "Ascend310P"],
    prefix,
  ).then(
    () => null,
    (e: Error) => e.message,
  );
  if (!refused?.includes("exited with 1"))
    throw new Error(`tsnpu check of a refused shape must exit 1: ${refused ?? "it exited 0"}`);
}
