// The pack-install smoke test: pack every public package, install the tarballs with npm into a
// fresh project, and use them as a user would. Prints one row per check; exits 1 on any FAIL.
//   pnpm smoke                 (builds first)
//   KEEP_SMOKE_DIR=1 pnpm smoke  keeps the temporary folder for a look
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { assertVersions, changesetVersions } from "./changeset.js";
import { checkCliReadme } from "./cli-readme.js";
import { copySeedExample, createConsumer } from "./consumer.js";
import { runNode } from "./exec.js";
import { attw, publint } from "./lint.js";
import { Report } from "./report.js";
import { checkShippedFiles } from "./shipped.js";
import { isPublic, packAll, type PackageJson, readJson, workspacePackages } from "./workspace.js";

const repo = fileURLToPath(new URL("../../../", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "tsnpu-pack-smoke-"));
const app = join(work, "app");
const report = new Report();
const start = performance.now();

/** The compiler and Node types of the workspace, so the type checks use the versions the repo builds with. */
function devTools(): string[] {
  const version = (name: string) => readJson<PackageJson>(join(repo, "node_modules", name, "package.json")).version;
  return [`typescript@${version("typescript")}`, `@types/node@${version("@types/node")}`];
}

const packages = workspacePackages(repo);
const publicOnes = packages.filter(isPublic);
const tarballDir = join(work, "tarballs");
mkdirSync(tarballDir);
const tarballs = await report.check(`pnpm pack (${publicOnes.length} packages)`, () => packAll(publicOnes, tarballDir));
const installed =
  tarballs && (await report.check("npm install of the tarballs", () => createConsumer(app, tarballs, devTools()).then(() => true)));

if (tarballs && installed) {
  const tsc = join(app, "node_modules", "typescript", "bin", "tsc");
  await report.check("shipped files (LICENSE, README, maps, tsconfigs)", async () =>
    checkShippedFiles(join(app, "node_modules"), tarballs, readFileSync(join(repo, "LICENSE"), "utf8")),
  );
  await report.check("seed example on npu (Node ESM)", async () => {
    const { stdout } = await runNode([copySeedExample(repo, app)], app);
    if (!stdout.includes("static graph result") || !stdout.includes("Ascend910B")) throw new Error(`unexpected output:\n${stdout}`);
  });
  await report.check("QuantConv2d on wasm (Node ESM)", () => runNode(["wasm-quant-conv2d.mjs"], app));
  await report.check("require() every package (CommonJS)", () => runNode(["require.cjs", ...tarballs.map((t) => t.name)], app));
  await report.check("tsnpu bin: the CLI README's example", () => checkCliReadme(repo, app));
  for (const config of ["nodenext", "bundler", "es2022"]) {
    const title = config === "es2022" ? 'lib ["es2022"], no DOM' : `${config} resolution`;
    await report.check(`tsc --noEmit, ${title}`, () => runNode([tsc, "-p", `tsconfig.${config}.json`], app));
  }
} else {
  report.notRun("checks of the installed packages", "packing or installing failed");
}
for (const { name, file } of tarballs ?? []) {
  await report.check(`publint --strict ${name}`, () => publint(file));
  await report.check(`attw ${name}`, () => attw(file));
}
await report.check("changeset version (dry run) gives 0.1.0", async () =>
  assertVersions(await changesetVersions(repo, join(work, "changeset-copy"), packages), "0.1.0"),
);

report.print((performance.now() - start) / 1000);
if (process.env.KEEP_SMOKE_DIR) console.log(`\nkept ${work}`);
else rmSync(work, { recursive: true, force: true });
process.exitCode = report.failed === 0 ? 0 : 1;
