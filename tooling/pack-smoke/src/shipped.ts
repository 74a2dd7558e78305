// What a tarball ships must stand on its own: the license, a README, and no file that points at
// something not shipped (source maps at missing sources, tsconfigs extending a package users lack).
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

function brokenSourceMap(file: string): string[] {
  const map = JSON.parse(readFileSync(file, "utf8")) as { sources?: string[]; sourceRoot?: string };
  return (map.sources ?? [])
    .map((source) => resolve(dirname(file), map.sourceRoot ?? "", source))
    .filter((source) => !existsSync(source))
    .map((source) => `${file} maps to ${source}, which is not shipped`);
}

/** Whether `target` (a relative path or a package path) exists from `dir` as TypeScript looks it up, in node_modules folders upwards. */
function reachable(dir: string, target: string): boolean {
  const exists = (path: string) => existsSync(path) || existsSync(`${path}.json`);
  if (target.startsWith(".")) return exists(resolve(dir, target));
  for (let at = dir; ; at = dirname(at)) {
    if (exists(join(at, "node_modules", target))) return true;
    if (dirname(at) === at) return false;
  }
}

function brokenExtends(file: string): string[] {
  const { extends: base } = JSON.parse(readFileSync(file, "utf8")) as {
    extends?: string | string[];
  };
  return (typeof base === "string" ? [base] : (base ?? []))
    .filter((target) => !reachable(dirname(file), target))
    .map((target) => `${file} extends "${target}", which a user's install does not have`);
}

/** Checks each named package installed in `nodeModules`, against the repository's LICENSE text. */
export function checkShippedFiles(
  nodeModules: string,
  names: readonly string[],
  license: string,
): void {
  const problems: string[] = [];
  for (const name of names) {
    const dir = join(nodeModules, name);
    if (
      !existsSync(join(dir, "LICENSE")) ||
      readFileSync(join(dir, "LICENSE"), "utf8") !== license
    ) {
      problems.push(`${name}: LICENSE is missing or differs from the repository's`);
    }
    if (!existsSync(join(dir, "README.md"))) problems.push(`${name}: README.md is missing`);
    for (const file of filesUnder(dir)) {
      const shown = `${name}/${relative(dir, file)}`;
      if (file.endsWith(".map"))
        problems.push(...brokenSourceMap(file).map((p) => p.replace(file, shown)));
      if (/(^|\/)tsconfig[^/]*\.json$/.test(file))
        problems.push(...brokenExtends(file).map((p) => p.replace(file, shown)));
    }
  }
  if (problems.length > 0) throw new Error(problems.join("\n"));
}
