// publint --strict and attw on one tarball, through their command lines as a maintainer would run them.
import { fileURLToPath } from "node:url";
import { run, USER_ENV } from "./exec.js";
import { assetSubpaths, type Tarball } from "./workspace.js";

const BIN = fileURLToPath(new URL("../node_modules/.bin/", import.meta.url));
const NO_COLOR = { ...USER_ENV, FORCE_COLOR: "0", NO_COLOR: "1" };

export async function publint({ file }: Tarball): Promise<void> {
  await run(`${BIN}publint`, ["--strict", file], process.cwd(), NO_COLOR);
}

/**
 * attw under its "node16" profile (node16 from CJS and ESM, bundler; node10 resolution is not
 * supported). One accepted finding, as the root README explains: "cjs-resolves-to-esm", since the
 * packages are ESM only and `require()` of them works through Node's require(esm) (Node >= 20.19).
 * Asset exports (.wasm files) are not modules, so they are not attw entry points.
 * --no-definitely-typed keeps attw from asking the registry for @types packages.
 */
export async function attw({ file, manifest }: Tarball): Promise<void> {
  const assets = assetSubpaths(manifest);
  const args = [
    file,
    "--profile",
    "node16",
    "--ignore-rules",
    "cjs-resolves-to-esm",
    "--no-definitely-typed",
    "--format",
    "table-flipped",
    "--no-emoji",
  ];
  await run(
    `${BIN}attw`,
    assets.length > 0 ? [...args, "--exclude-entrypoints", ...assets] : args,
    process.cwd(),
    NO_COLOR,
  );
}
