// The CLI README's example, run through the installed `tsnpu` bin: its output must be the one
// the README shows.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { run } from "./exec.js";

/** The first code block holding `npx @tsnpu/cli ...`, and the code block after it (the output). */
export function readmeExample(readme: string): { args: string[]; expected: string } {
  const blocks = [...readme.matchAll(/^```[^\n]*\n([\s\S]*?)^```$/gm)].map((m) => m[1]!.trim());
  const at = blocks.findIndex((block) => block.startsWith("npx @tsnpu/cli "));
  if (at < 0 || at + 1 >= blocks.length)
    throw new Error("apps/cli/README.md has no `npx @tsnpu/cli ...` block followed by its output");
  return {
    args: blocks[at]!.slice("npx @tsnpu/cli ".length).split(" "),
    expected: blocks[at + 1]!,
  };
}

export async function checkCliReadme(repo: string, app: string): Promise<void> {
  const { args, expected } = readmeExample(
    readFileSync(join(repo, "apps", "cli", "README.md"), "utf8"),
  );
  const { stdout } = await run(join(app, "node_modules", ".bin", "tsnpu"), args, app);
  if (stdout.trim() !== expected)
    throw new Error(`tsnpu ${args.join(" ")} printed:\n${stdout}\nthe README shows:\n${expected}`);
}
