// The repository's public packages and their tarballs, made with `pnpm pack` as `pnpm publish` would.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { run } from "./exec.js";

export interface PackageJson {
  readonly name: string;
  readonly version: string;
  readonly private?: boolean;
  readonly exports?: Record<string, unknown>;
  readonly bin?: Record<string, string>;
}

export interface WorkspacePackage {
  readonly dir: string;
  readonly manifest: PackageJson;
}

export interface Tarball {
  readonly name: string;
  readonly file: string;
  readonly manifest: PackageJson;
}

export function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, "utf8")) as T;
}

/** The workspace folders (pnpm-workspace.yaml lists packages/*, apps/* and tooling/*). */
const WORKSPACE_GLOBS = ["packages", "apps", "tooling"];

export function workspacePackages(repo: string): WorkspacePackage[] {
  const found: WorkspacePackage[] = [];
  for (const group of WORKSPACE_GLOBS) {
    for (const entry of readdirSync(join(repo, group), { withFileTypes: true })) {
      const dir = join(repo, group, entry.name);
      if (!entry.isDirectory() || !existsSync(join(dir, "package.json"))) continue;
      const manifest = readJson<PackageJson>(join(dir, "package.json"));
      found.push({ dir, manifest });
    }
  }
  return found;
}

export const isPublic = (pkg: WorkspacePackage): boolean => !pkg.manifest.private;

/** Packs every package into `destination` (all at once); fails when a package has not been built. */
export function packAll(
  packages: readonly WorkspacePackage[],
  destination: string,
): Promise<Tarball[]> {
  return Promise.all(
    packages.map(async ({ dir, manifest }) => {
      if (!existsSync(join(dir, "dist")))
        throw new Error(`${manifest.name} has no dist/: run \`pnpm build\` first`);
      const { stdout } = await run(
        "pnpm",
        ["pack", "--json", "--pack-destination", destination],
        dir,
      );
      return {
        name: manifest.name,
        file: (JSON.parse(stdout) as { filename: string }).filename,
        manifest,
      };
    }),
  );
}

/**
 * Export subpaths that are files to fetch, not modules to import (e.g. backend-wasm's .wasm
 * kernels): a string target that is neither JavaScript nor JSON.
 */
export function assetSubpaths(manifest: PackageJson): string[] {
  return Object.entries(manifest.exports ?? {})
    .filter(([, target]) => typeof target === "string" && !/\.([cm]?js|json)$/.test(target))
    .map(([subpath]) => subpath);
}

/** Every specifier a user can import or require from the package: its export subpaths but the assets. */
export function moduleSpecifiers({ manifest }: Tarball): string[] {
  const assets = new Set(assetSubpaths(manifest));
  return Object.keys(manifest.exports ?? {})
    .filter((subpath) => !assets.has(subpath))
    .map((subpath) => manifest.name + subpath.slice(1));
}
