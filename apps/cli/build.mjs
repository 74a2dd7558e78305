// Builds the CLI: esbuild bundles src/ into dist/ (one chunk per command, loaded when it runs),
// inlining the private @tsnpu/conformance loaders `verify` uses; every published dependency
// stays an import. The golden vectors those loaders read are copied next to dist/ (vectors/),
// where the bundled loader looks for them (../vectors/ from dist/), and ship in the tarball.
import { cpSync, readFileSync, rmSync } from "node:fs";
import { build } from "esbuild";

const manifest = JSON.parse(readFileSync("package.json", "utf8"));
const dependencies = Object.keys(manifest.dependencies);

rmSync("dist", { recursive: true, force: true });
const { metafile } = await build({
  entryPoints: ["src/main.ts"],
  outdir: "dist",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  external: dependencies.flatMap((d) => [d, `${d}/*`]),
  // Chunks sit next to main.js: the bundled loader finds the vectors at ../vectors/ from them.
  metafile: true,
  logLevel: "warning",
});

// A package imported at run time must be a dependency, or an installed CLI would not find it.
const undeclared = new Set(
  Object.values(metafile.outputs)
    .flatMap((o) => o.imports)
    .filter((i) => i.external && !i.path.startsWith("node:"))
    .map((i) => i.path.replace(/^((?:@[^/]+\/)?[^/]+).*$/, "$1"))
    .filter((name) => !dependencies.includes(name)),
);
if (undeclared.size > 0) {
  console.error(`the CLI imports packages it does not depend on: ${[...undeclared].join(", ")}`);
  process.exit(1);
}

// Only the CLI's own sources and the conformance loaders may be inlined: a second copy of a
// tsnpu package would have its own dtypes and registries.
const inlined = Object.keys(metafile.inputs).filter(
  (path) => !path.startsWith("src/") && !path.startsWith("../../tooling/conformance/src/"),
);
if (inlined.length > 0) {
  console.error(`the bundle inlines files it must import: ${inlined.join(", ")}`);
  process.exit(1);
}

rmSync("vectors", { recursive: true, force: true });
cpSync("../../tooling/conformance/vectors", "vectors", { recursive: true });
