// `changeset version` in a throwaway copy of the workspace's manifests and changesets: the
// versions the next `changeset publish` would publish, without touching the repository.
import { cpSync, existsSync, mkdirSync, symlinkSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { run } from "./exec.js";
import { isPublic, type PackageJson, readJson, type WorkspacePackage } from "./workspace.js";

const ROOT_FILES = ["package.json", "pnpm-workspace.yaml", ".changeset"];

/**
 * Runs the dry run in `copy` and returns each public package's new version. Every workspace
 * package is copied, private ones included: changesets needs them all to plan.
 */
export async function changesetVersions(
  repo: string,
  copy: string,
  packages: readonly WorkspacePackage[],
): Promise<Map<string, string>> {
  mkdirSync(copy, { recursive: true });
  for (const file of ROOT_FILES) cpSync(join(repo, file), join(copy, file), { recursive: true });
  for (const dir of packages.map((p) => relative(repo, p.dir))) {
    for (const file of ["package.json", "CHANGELOG.md"]) {
      if (!existsSync(join(repo, dir, file))) continue;
      mkdirSync(dirname(join(copy, dir, file)), { recursive: true });
      cpSync(join(repo, dir, file), join(copy, dir, file));
    }
  }
  symlinkSync(join(repo, "node_modules"), join(copy, "node_modules")); // the changelog generator
  await run(
    process.execPath,
    [join(repo, "node_modules", "@changesets", "cli", "bin.js"), "version"],
    copy,
  );
  return new Map(
    packages
      .filter(isPublic)
      .map(({ dir, manifest }) => [
        manifest.name,
        readJson<PackageJson>(join(copy, relative(repo, dir), "package.json")).version,
      ]),
  );
}

/**
 * A package not yet released (0.0.0 in the repository) must come out at 0.1.0, the first
 * release; released packages only need to have run through.
 */
export function assertFirstRelease(
  packages: readonly WorkspacePackage[],
  versions: ReadonlyMap<string, string>,
): void {
  const wrong = packages
    .filter(
      (pkg) =>
        isPublic(pkg) &&
        pkg.manifest.version === "0.0.0" &&
        versions.get(pkg.manifest.name) !== "0.1.0",
    )
    .map((pkg) => `${pkg.manifest.name}@${versions.get(pkg.manifest.name)}`);
  if (wrong.length > 0)
    throw new Error(`unreleased packages must come out at 0.1.0, got ${wrong.join(", ")}`);
}
