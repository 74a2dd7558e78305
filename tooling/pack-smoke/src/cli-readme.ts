// The CLI README's example, run through the installed `tsnpu` bin: its output must be the one
// the README shows.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { run } from "./exec.js";

/** The first `npx @tsnpu/cli ...` command in the README and the plain code block after it. */
function readmeExample(readme: string): { args: string[]; expected: string } {
  const match = /^npx @tsnpu\/cli (.+)$[\s\S]*?^```\n([\s\S]*?)^```$/m.exec(readme);
  if (!match) throw new Error("apps/cli/README.md has no `npx @tsnpu/cli ...` example followed by its output");
  return { args: match[1]!.split(" "), expected: match[2]!.trim() };
}

export async function checkCliReadme(repo: string, app: string): Promise<void> {
  const { args, expected } = readmeExample(readFileSync(join(repo, "apps", "cli", "README.md"), "utf8"));
  const { stdout } = await run(join(app, "node_modules", ".bin", "tsnpu"), args, app);
  if (stdout.trim() !== expected) throw new Error(`tsnpu ${args.join(" ")} printed:\n${stdout}\nthe README shows:\n${expected}`);
}
