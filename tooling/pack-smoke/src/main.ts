// The pack-install smoke test: pack every public package, install the tarballs with npm into a
// fresh project, and use them as a user would. Prints one row per check; exits 1 on any FAIL.
//   pnpm smoke                     (from the repository root: builds first)
//   KEEP_SMOKE_DIR=1 pnpm smoke    keeps the temporary folder for a look
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { assertFirstRelease, changesetVersions } from "./changeset.js";
import { checkCliReadme } from "./cli-readme.js";
import { checkGlobalCli } from "./cli-global.js";
import { copySeedExample, createConsumer } from "./consumer.js";
import { runNode } from "./exec.js";
import { attw, publint } from "./lint.js";
import { Report } from "./report.js";
import { checkShippedFiles } from "./shipped.js";
import {
  isPublic,
  moduleSpecifiers,
  packAll,
  type PackageJson,
  readJson,
  type Tarball,
  workspacePackages,
} from "./workspace.js";

const repo = fileURLToPath(new URL("../../../", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "tsnpu-pack-smoke-"));
const report = new Report();
const sections = {
  pack: report.section("pack"),
  consumer: report.section("a fresh npm project using the tarballs"),
  release: report.section("tarball linters and the next release"),
};
const start = performance.now();

/** The compiler and Node types of the workspace, so the type checks use the versions the repo builds with. */
function devTools(): string[] {
  const version = (name: string) =>
    readJson<PackageJson>(join(repo, "node_modules", name, "package.json")).version;
  return [`typescript@${version("typescript")}`, `@types/node@${version("@types/node")}`];
}

/** Installs the tarballs into a fresh project and uses them from ESM, CommonJS, the bin and tsc. */
async function consumerChecks(tarballs: readonly Tarball[]): Promise<void> {
  const report = sections.consumer;
  const app = join(work, "app");
  if (
    !(await report.check("npm install of the tarballs", () =>
      createConsumer(app, tarballs, devTools()).then(() => true),
    ))
  )
    return;
  await report.check("shipped files (LICENSE, README, maps, tsconfigs)", async () =>
    checkShippedFiles(
      join(app, "node_modules"),
      tarballs.map((t) => t.name),
      readFileSync(join(repo, "LICENSE"), "utf8"),
    ),
  );
  await report.check("seed example on npu (Node ESM)", async () => {
    const { stdout } = await runNode([copySeedExample(repo, app)], app);
    if (!stdout.includes("static graph result") || !stdout.includes("Ascend910B"))
      throw new Error(`unexpected output:\n${stdout}`);
  });
  await report.check("QuantConv2d on wasm (Node ESM)", () =>
    runNode(["wasm-quant-conv2d.mjs"], app),
  );
  await report.check("require() every entry point (CommonJS)", () =>
    runNode(["require.cjs", ...tarballs.flatMap(moduleSpecifiers)], app),
  );
  await report.check("tsnpu bin: the CLI README's example", () => checkCliReadme(repo, app));
  await report.check("tsnpu bin after npm install --global of the tarballs", () =>
    checkGlobalCli(join(work, "global"), tarballs),
  );
  const tsc = join(app, "node_modules", "typescript", "bin", "tsc");
  for (const [config, title] of [
    ["nodenext", "nodenext"],
    ["bundler", "bundler"],
    ["es2022", 'lib ["es2022"], no DOM'],
  ]) {
    await report.check(`tsc --noEmit, ${title}`, () =>
      runNode([tsc, "-p", `tsconfig.${config}.json`], app),
    );
  }
}

/** The linters on each tarball, then the versions the next release would get. */
async function releaseChecks(tarballs: readonly Tarball[]): Promise<void> {
  const report = sections.release;
  for (const tarball of tarballs) {
    await report.check(`publint --strict ${tarball.name}`, () => publint(tarball));
    await report.check(`attw ${tarball.name}`, () => attw(tarball));
  }
  await report.check("changeset version (dry run): first release is 0.1.0", async () =>
    assertFirstRelease(
      packages,
      await changesetVersions(repo, join(work, "changeset-copy"), packages),
    ),
  );
}

const packages = workspacePackages(repo);
const publicOnes = packages.filter(isPublic);
const tarballDir = join(work, "tarballs");
mkdirSync(tarballDir);
const tarballs = await sections.pack.check(`pnpm pack (${publicOnes.length} packages)`, () =>
  packAll(publicOnes, tarballDir),
);
if (tarballs) await Promise.all([consumerChecks(tarballs), releaseChecks(tarballs)]); // the two sections at once

report.print((performance.now() - start) / 1000);
if (process.env.KEEP_SMOKE_DIR) console.log(`\nkept ${work}`);
else rmSync(work, { recursive: true, force: true });
process.exitCode = report.failed === 0 ? 0 : 1;
