// Finding, fetching and compiling the kernel module, and deciding whether threads are possible.

import { defaultWasmUrl } from "../../wasm/kernel-urls.js";
import { WasmLoadError } from "./wasm-load-error.js";
import type { WasmSource } from "./wasm-types.js";

export { defaultWasmUrl };

export const isNode =
  typeof process !== "undefined" && typeof process.versions === "object" && !!process.versions.node;

// Hidden from bundlers: only Node ever evaluates these imports.
const nodeImport = <M>(name: string): Promise<M> =>
  import(/* @vite-ignore */ /* webpackIgnore: true */ name);

/** Compiles `source` (a module passes through), checking first that the bytes are WebAssembly. */
export async function compileWasm(source: WasmSource): Promise<WebAssembly.Module> {
  if (source instanceof WebAssembly.Module) return source;
  if (typeof source !== "string" && !(source instanceof URL)) {
    const bytes = ArrayBuffer.isView(source)
      ? new Uint8Array(source.buffer, source.byteOffset, source.byteLength)
      : new Uint8Array(source as ArrayBuffer);
    checkWasmBytes(bytes, "the bytes passed as `wasm` / `wasmSingleThread`", null);
    return WebAssembly.compile(bytes as BufferSource);
  }
  const base = isNode
    ? `file://${process.cwd()}/`
    : (globalThis as { location?: { href: string } }).location?.href;
  const url = typeof source === "string" ? new URL(source, base) : source;
  if (url.protocol === "file:" && isNode) {
    const fs = await nodeImport<typeof import("node:fs/promises")>("node:fs/promises");
    const { fileURLToPath } = await nodeImport<typeof import("node:url")>("node:url");
    const bytes: Uint8Array = await fs.readFile(fileURLToPath(url)).catch((e: Error) => {
      throw new WasmLoadError(
        url.href,
        null,
        "",
        `@tsnpu/backend-wasm: cannot read the kernel module ${url.href}: ${e.message}`,
        e,
      );
    });
    checkWasmBytes(bytes, url.href, null);
    return WebAssembly.compile(bytes as BufferSource);
  }
  // Not compileStreaming: the bytes are checked first (the module is small, streaming gains nothing).
  const response = await fetch(url).catch((e: Error) => {
    throw new WasmLoadError(
      url.href,
      null,
      "",
      `@tsnpu/backend-wasm: cannot fetch the kernel module ${url.href}: ${e.message}. ${HOW_TO_SERVE}`,
      e,
    );
  });
  const contentType = response.headers.get("content-type");
  if (!response.ok) {
    throw new WasmLoadError(
      url.href,
      contentType,
      "",
      `@tsnpu/backend-wasm: cannot fetch the kernel module ${url.href}: HTTP ${response.status}. ${HOW_TO_SERVE}`,
    );
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  checkWasmBytes(bytes, url.href, contentType);
  return WebAssembly.compile(bytes as BufferSource);
}

const HOW_TO_SERVE =
  "The kernel files @tsnpu/backend-wasm/tsnpu-kernels.wasm and tsnpu-kernels-st.wasm must be served at the URL " +
  'the loader asks for: with the Vite dev server, add `optimizeDeps: { exclude: ["@tsnpu/backend-wasm"] }` to ' +
  "the Vite config (pre-bundling moves the code away from the files); with esbuild, or Rollup without " +
  "@web/rollup-plugin-import-meta-assets, copy both files next to the bundle; or pass their URLs to " +
  "`wasm.ready({ wasm, wasmSingleThread })`. Recipes: the README of @tsnpu/backend-wasm, section Bundlers.";

/**
 * Throws a WasmLoadError unless `bytes` start with the WebAssembly magic number (00 61 73 6d),
 * naming what came instead: typically an HTML page that a dev server or SPA host sends for a
 * file it does not have, which WebAssembly.compile would report only as "expected magic word".
 */
export function checkWasmBytes(bytes: Uint8Array, from: string, contentType: string | null): void {
  if (bytes[0] === 0x00 && bytes[1] === 0x61 && bytes[2] === 0x73 && bytes[3] === 0x6d) return;
  const head = bytes.subarray(0, 8);
  const hex = Array.from(head, (b) => b.toString(16).padStart(2, "0")).join(" ");
  const text = Array.from(head, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : ".")).join(
    "",
  );
  const html =
    /html/i.test(contentType ?? "") ||
    /^\s*</.test(new TextDecoder().decode(bytes.subarray(0, 64)));
  const got = [
    contentType === null ? "" : `Content-Type "${contentType}", `,
    bytes.length === 0 ? "an empty body" : `${bytes.length} bytes starting ${hex} ("${text}")`,
  ].join("");
  const what = html
    ? "an HTML page, which servers send for a file they do not have"
    : "not WebAssembly (a module starts with 00 61 73 6d)";
  const fix = /^(file|https?):/.test(from) ? HOW_TO_SERVE : "Pass the contents of a .wasm file.";
  throw new WasmLoadError(
    from,
    contentType,
    hex,
    `@tsnpu/backend-wasm: the kernel module from ${from} is not WebAssembly: got ${got}: ${what}. ${fix}`,
  );
}

/** Logical cores, or 1 if unknown. */
export async function hardwareConcurrency(): Promise<number> {
  if (isNode) {
    const os = await nodeImport<typeof import("node:os")>("node:os");
    return typeof os.availableParallelism === "function"
      ? os.availableParallelism()
      : os.cpus().length;
  }
  return (
    (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator
      ?.hardwareConcurrency ?? 1
  );
}

/** Why threads are unavailable here, or null when they are available. */
export function threadsUnavailableReason(): string | null {
  if (typeof SharedArrayBuffer === "undefined" || typeof Atomics === "undefined") {
    return "SharedArrayBuffer is not available";
  }
  if (!isNode && (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated !== true) {
    return "the page is not cross-origin isolated, so SharedArrayBuffer cannot be shared with workers";
  }
  if (!isNode && typeof (globalThis as { Worker?: unknown }).Worker === "undefined")
    return "Web Workers are not available";
  return null;
}

let warned = false;
/** The one-time warning when threads were asked for (or defaulted to) but are unavailable. */
export function warnSingleThread(reason: string): void {
  if (warned) return;
  warned = true;
  console.warn(
    `@tsnpu/backend-wasm: running on 1 thread because ${reason}. To enable worker threads, serve ` +
      "the page with the headers 'Cross-Origin-Opener-Policy: same-origin' and " +
      "'Cross-Origin-Embedder-Policy: require-corp' (or 'credentialless'), so that " +
      "self.crossOriginIsolated is true.",
  );
}

interface BrowserWorker {
  onmessage: ((e: unknown) => void) | null;
  onerror: ((e: { message: string }) => void) | null;
  postMessage(data: unknown): void;
  terminate(): void;
}

export interface WorkerHandle {
  terminate(): void;
}

/** Starts one worker running WORKER_SOURCE; resolves once it has instantiated the module. */
export async function startWorker(
  source: string,
  data: {
    module: WebAssembly.Module;
    memory: WebAssembly.Memory;
    ctl: number;
    tid: number;
    startGen: number;
  },
): Promise<WorkerHandle> {
  if (isNode) {
    const { Worker } =
      await nodeImport<typeof import("node:worker_threads")>("node:worker_threads");
    const w = new Worker(source, { eval: true, workerData: data });
    await new Promise<void>((resolve, reject) => {
      w.once("message", () => resolve());
      w.once("error", reject);
      w.once("exit", (code: number) =>
        reject(new Error(`@tsnpu/backend-wasm: worker exited early (${code})`)),
      );
    });
    w.removeAllListeners("error");
    w.removeAllListeners("exit");
    w.unref(); // an idle pool must not keep Node alive
    return { terminate: () => void w.terminate() };
  }
  const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
  const WebWorker = (globalThis as unknown as { Worker: new (url: string) => BrowserWorker })
    .Worker;
  const w = new WebWorker(url);
  try {
    await new Promise<void>((resolve, reject) => {
      w.onmessage = () => resolve();
      w.onerror = (e) => reject(new Error(`@tsnpu/backend-wasm: worker failed: ${e.message}`));
      w.postMessage(data);
    });
  } finally {
    URL.revokeObjectURL(url);
  }
  return { terminate: () => w.terminate() };
}
