// page/main.js built the way each bundler's README recipe (packages/backend-wasm/README.md,
// section Bundlers) says: nothing tsnpu-specific beyond what the recipe shows. Each build
// writes a directory with index.html, the bundle and the emitted .wasm files.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Plugin } from "vite";
import { isolationHeaders } from "./serve.js";

export const pageDir = fileURLToPath(new URL("../page/", import.meta.url));
const entry = join(pageDir, "main.js");
const require = createRequire(entry);

function outDir(name: string): string {
  return mkdtempSync(join(tmpdir(), `tsnpu-${name}-`));
}

/** index.html with `script` in place of the page's module script tag. */
function writeHtml(dir: string, script: string): void {
  const html = readFileSync(join(pageDir, "index.html"), "utf8").replace(
    /<script type="module"[^>]*><\/script>/,
    script,
  );
  writeFileSync(join(dir, "index.html"), html);
}

/** esbuild keeps `new URL("./x.wasm", import.meta.url)` as is: the recipe copies the two files next to the bundle. */
export async function buildWithEsbuild(): Promise<string> {
  const esbuild = await import("esbuild");
  const dir = outDir("esbuild");
  await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    format: "esm",
    outdir: dir,
    logLevel: "error",
  });
  for (const file of ["tsnpu-kernels.wasm", "tsnpu-kernels-st.wasm"]) {
    copyFileSync(require.resolve(`@tsnpu/backend-wasm/${file}`), join(dir, file));
  }
  writeHtml(dir, '<script type="module" src="./main.js"></script>');
  return dir;
}

/** The other esbuild recipe: the app imports the .wasm files with the `file` loader and passes their URLs to ready(). */
export async function buildWithEsbuildFileLoader(): Promise<string> {
  const esbuild = await import("esbuild");
  const dir = outDir("esbuild-file");
  await esbuild.build({
    entryPoints: [{ in: join(pageDir, "main-file-loader.js"), out: "main" }],
    bundle: true,
    format: "esm",
    outdir: dir,
    loader: { ".wasm": "file" },
    logLevel: "error",
  });
  writeHtml(dir, '<script type="module" src="./main.js"></script>');
  return dir;
}

/** `vite build` with no config: Vite emits the .wasm files it finds in `new URL(…, import.meta.url)`. */
export async function buildWithVite(): Promise<string> {
  const { build } = await import("vite");
  const dir = outDir("vite");
  await build({
    root: pageDir,
    configFile: false,
    logLevel: "error",
    build: { outDir: dir, emptyOutDir: true },
  });
  return dir;
}

/**
 * webpack 5 with only entry and output: asset modules emit the .wasm files. (No minifier: it
 * runs after the assets are emitted and only slows the test.)
 */
export async function buildWithWebpack(): Promise<string> {
  const { default: webpack } = await import("webpack");
  const dir = outDir("webpack");
  const stats = await new Promise<import("webpack").Stats>((ok, fail) =>
    webpack(
      {
        mode: "production",
        entry,
        output: { path: dir, filename: "main.js" },
        optimization: { minimize: false },
      },
      (e, s) => (e || !s ? fail(e) : ok(s)),
    ),
  );
  if (stats.hasErrors()) throw new Error(stats.toString("errors-only"));
  writeHtml(dir, '<script defer src="./main.js"></script>');
  return dir;
}

/** Rollup with node-resolve and @web/rollup-plugin-import-meta-assets, which emits the .wasm files. */
export async function buildWithRollup(): Promise<string> {
  const { rollup } = await import("rollup");
  const { nodeResolve } = await import("@rollup/plugin-node-resolve");
  const { importMetaAssets } = await import("@web/rollup-plugin-import-meta-assets");
  const dir = outDir("rollup");
  const bundle = await rollup({
    input: entry,
    plugins: [nodeResolve(), importMetaAssets()],
    onwarn: () => {},
  });
  await bundle.write({ dir, format: "es", entryFileNames: "main.js" });
  await bundle.close();
  writeHtml(dir, '<script type="module" src="./main.js"></script>');
  return dir;
}

/** COOP/COEP on documents requested with ?isolated=1, as serveStatic does. */
const isolation: Plugin = {
  name: "isolation-headers",
  configureServer(server) {
    server.middlewares.use((req, res, next) => {
      isolationHeaders(req, res);
      next();
    });
  },
};

/**
 * The Vite dev server on page/, with the packages pre-bundled as Vite does for packages
 * installed from npm (workspace links are not pre-bundled by default; `include` forces it),
 * and `exclude` for @tsnpu/backend-wasm as the recipe says.
 */
export async function startViteDev(options: {
  excludeWasm: boolean;
}): Promise<{ url: string; stop(): Promise<void> }> {
  const { createServer } = await import("vite");
  const packages = [
    "tsnpu",
    "tsnpu/contrib",
    "@tsnpu/tensor",
    "@tsnpu/nn",
    "@tsnpu/nn/contrib",
    "@tsnpu/backend-cpu",
    "@tsnpu/backend-npu-sim",
  ];
  const cacheDir = outDir("vite-cache");
  const server = await createServer({
    root: pageDir,
    configFile: false,
    logLevel: "error",
    cacheDir,
    server: { host: "127.0.0.1", hmr: false },
    optimizeDeps: options.excludeWasm
      ? { include: packages, exclude: ["@tsnpu/backend-wasm"] }
      : { include: [...packages, "@tsnpu/backend-wasm"] },
    plugins: [isolation],
  });
  await server.listen();
  return {
    url: server.resolvedUrls!.local[0]!,
    stop: async () => {
      await server.close();
      rmSync(cacheDir, { recursive: true, force: true });
    },
  };
}
