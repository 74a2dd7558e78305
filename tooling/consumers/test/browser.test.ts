// The built packages in headless Chromium, bundled each way a user would (recipes in
// packages/backend-wasm/README.md): the .wasm files are found without tsnpu-specific config,
// threads start when the page is cross-origin isolated (COOP/COEP) and it falls back to one
// thread otherwise; either way the wasm output is bit-identical to the cpu's.
import { rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  buildWithEsbuild,
  buildWithEsbuildFileLoader,
  buildWithRollup,
  buildWithVite,
  buildWithWebpack,
  startViteDev,
} from "../src/builds.js";
import {
  findChromium,
  launchChromium,
  pageOutput,
  runPage,
  type PageResult,
} from "../src/chromium.js";
import { serveStatic } from "../src/serve.js";

const chromium = findChromium();
const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

/** What every page must report: 2 threads only when isolated, and the cpu's bits. */
const expected = (isolated: boolean): PageResult => ({
  isolated,
  threads: isolated ? 2 : 1,
  identical: true,
  n: 18432,
});

// Generous: CI runs this beside every other package's tests on 2 cores.
const BUILD_TIMEOUT = 240_000;
const PAGE_TIMEOUT = 120_000;

/** A page to test: where it is served (after `start`), and how to stop serving it. */
interface Variant {
  readonly name: string;
  start(): Promise<{ url: string; stop(): Promise<void> }>;
}

/** A built directory served by a plain static server. */
function built(name: string, build: () => Promise<string>): Variant {
  return {
    name,
    async start() {
      const dir = await build();
      const server = await serveStatic(dir);
      return {
        url: `${server.origin}/index.html`,
        stop: async () => {
          await server.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  };
}

const variants: Variant[] = [
  {
    name: "no bundler (import map over dist/)",
    async start() {
      const server = await serveStatic(repoRoot);
      return {
        url: `${server.origin}/tooling/consumers/page/importmap.html`,
        stop: () => server.close(),
      };
    },
  },
  built("esbuild (the .wasm files copied next to the bundle)", buildWithEsbuild),
  built("esbuild (the .wasm files imported with --loader:.wasm=file)", buildWithEsbuildFileLoader),
  built("vite build", buildWithVite),
  built("webpack 5", buildWithWebpack),
  built("Rollup", buildWithRollup),
  { name: "Vite dev server", start: () => startViteDev({ excludeWasm: true }) },
];

let browser: BrowserContext;
beforeAll(async () => {
  if (chromium) browser = await launchChromium(chromium);
}, BUILD_TIMEOUT);
afterAll(() => browser?.close(), BUILD_TIMEOUT);

describe.skipIf(!chromium)(
  `the wasm backend in headless Chromium${chromium ? "" : " — skipped: no chromium on this machine (.ci/run installs it)"}`,
  () => {
    for (const variant of variants) {
      describe(variant.name, () => {
        let page: { url: string; stop(): Promise<void> };
        beforeAll(async () => {
          page = await variant.start();
        }, BUILD_TIMEOUT);
        afterAll(() => page?.stop(), BUILD_TIMEOUT);
        it(
          "runs on 2 threads when cross-origin isolated, bit-identical to the cpu",
          async () => {
            expect(await runPage(browser, `${page.url}?isolated=1`)).toEqual(expected(true));
          },
          PAGE_TIMEOUT,
        );
        it(
          "falls back to 1 thread without isolation, still bit-identical",
          async () => {
            expect(await runPage(browser, `${page.url}?isolated=0`)).toEqual(expected(false));
          },
          PAGE_TIMEOUT,
        );
      });
    }

    // The failure this loader check exists for: Vite's dev server pre-bundles an installed
    // package into its cache folder, away from the .wasm files, and answers the URL with its
    // index.html. The page must say what it got and how to fix it.
    describe("Vite dev server without optimizeDeps.exclude", () => {
      let server: Awaited<ReturnType<typeof startViteDev>>;
      beforeAll(async () => {
        server = await startViteDev({ excludeWasm: false });
      }, BUILD_TIMEOUT);
      afterAll(() => server?.stop(), BUILD_TIMEOUT);
      it(
        "reports a WasmLoadError naming the URL, the HTML it got, and optimizeDeps.exclude",
        async () => {
          const { text } = await pageOutput(browser, server.url);
          expect(text).toMatch(
            /^ERROR WasmLoadError: @tsnpu\/backend-wasm: the kernel module from http:\S+\/tsnpu-kernels-st\.wasm is not WebAssembly/,
          );
          expect(text).toContain('Content-Type "text/html"');
          expect(text).toContain("3c 21 64 6f");
          expect(text).toContain('optimizeDeps: { exclude: ["@tsnpu/backend-wasm"] }');
        },
        PAGE_TIMEOUT,
      );
    });
  },
);
