// `pnpm tsnpu ...` from the repository root: runs the built CLI directly (no build step, so it
// starts at Node's speed), and says in one line what to do when nothing is built yet.
import { existsSync } from "node:fs";

const main = new URL("../dist/main.js", import.meta.url);
if (!existsSync(main)) {
  console.error("tsnpu: the CLI is not built yet; run `pnpm build` first");
  process.exit(1);
}
try {
  await import(main.href);
} catch (e) {
  if (e?.code !== "ERR_MODULE_NOT_FOUND") throw e;
  console.error(
    `tsnpu: a package is not built (${e.message.split("\n")[0]}); run \`pnpm build\` first`,
  );
  process.exit(1);
}
