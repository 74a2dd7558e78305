// The repo's golden vectors must equal the project's master copy (shared/conformance, kept
// outside the repo) byte for byte. Runs where that folder sits above the checkout (a developer's
// machine, CI); in a plain clone there is nothing to compare with, and the test says so.

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { vectorsDir } from "../src/vectors.js";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

/** The nearest shared/conformance in a folder above the repo, or null. */
function findMasterCopy(): string | null {
  for (let dir = dirname(repoRoot); ; dir = dirname(dir)) {
    const candidate = join(dir, "shared", "conformance");
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return null;
  }
}

/** Every file under `root` as a relative path, except the top-level README (each copy has its own). */
function vectorFiles(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath, e.name)))
    .filter((path) => path !== "README.md")
    .sort();
}

const master = findMasterCopy();

it(`tooling/conformance/vectors equals shared/conformance byte for byte`, (ctx) => {
  if (!master) {
    const why = `drift check skipped: no shared/conformance folder above ${repoRoot}, so there is no master copy to compare with`;
    console.info(why);
    ctx.skip(why);
  }
  const files = vectorFiles(vectorsDir);
  expect(files, `files of ${vectorsDir} vs ${master}`).toEqual(vectorFiles(master!));
  const differing = files.filter(
    (f) => !readFileSync(join(vectorsDir, f)).equals(readFileSync(join(master!, f))),
  );
  expect(
    differing,
    `files that differ from ${master}; copy them over tooling/conformance/vectors`,
  ).toEqual([]);
});
