// A fresh user project that installs the tarballs with npm, as someone outside the monorepo would.
import { cpSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { run } from "./exec.js";
import { readJson, type Tarball } from "./workspace.js";

/** The fixtures (user code and tsconfigs) copied into the project. */
const FIXTURES = new URL("../fixtures/", import.meta.url);

interface Lockfile {
  readonly packages: Record<string, { readonly resolved?: string }>;
}

/**
 * Creates `dir` with the fixtures and installs the tarballs plus the compiler the type checks use
 * (the workspace's own versions). Third-party packages come from the npm registry, or from npm's
 * cache when offline (--prefer-offline).
 */
export async function createConsumer(
  dir: string,
  tarballs: readonly Tarball[],
  devTools: readonly string[],
): Promise<void> {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, "package.json"),
    `${JSON.stringify({ name: "tsnpu-smoke-consumer", private: true, type: "module" }, null, 2)}\n`,
  );
  cpSync(FIXTURES, dir, { recursive: true });
  await run(
    "npm",
    [
      "install",
      "--no-audit",
      "--no-fund",
      "--prefer-offline",
      "--loglevel=error",
      ...tarballs.map((t) => t.file),
      ...devTools,
    ],
    dir,
  );
  assertInstalledFromTarballs(dir, tarballs);
}

/** Every tsnpu package in the tree must be one of ours: none fetched from a registry, none nested twice. */
function assertInstalledFromTarballs(dir: string, tarballs: readonly Tarball[]): void {
  const lock = readJson<Lockfile>(join(dir, "package-lock.json"));
  const ours = new Set(tarballs.map((t) => t.name));
  const problems: string[] = [];
  for (const [path, entry] of Object.entries(lock.packages)) {
    const name = path.slice(path.lastIndexOf("node_modules/") + "node_modules/".length);
    if (!ours.has(name)) continue;
    if (path !== `node_modules/${name}`)
      problems.push(
        `${name} is installed twice (${path}): a dependency range does not match the packed version`,
      );
    else if (!entry.resolved?.startsWith("file:"))
      problems.push(`${name} resolved to ${entry.resolved}, not to its tarball`);
  }
  if (problems.length > 0) throw new Error(problems.join("\n"));
}

/** Copies the built seed example (apps/seed-example/dist) into the project, as plain ESM user code. */
export function copySeedExample(repo: string, dir: string): string {
  const source = join(repo, "apps", "seed-example", "dist");
  const target = join(dir, "seed-example");
  mkdirSync(target, { recursive: true });
  for (const file of readdirSync(source).filter((f) => f.endsWith(".js")))
    cpSync(join(source, file), join(target, file));
  writeFileSync(join(target, "package.json"), `${JSON.stringify({ type: "module" })}\n`);
  return join(target, "main.js");
}
