// Finding, fetching and compiling the kernel module, and deciding whether threads are possible.

/** Where the kernels come from: a URL (or URL string), the bytes, or a compiled module. */
export type WasmSource = URL | string | BufferSource | WebAssembly.Module;

export const isNode =
  typeof process !== "undefined" && typeof process.versions === "object" && !!process.versions.node;

/**
 * The default locations, relative to this file: src/runtime/ and dist/runtime/ both sit two
 * levels below the package root, beside build/. Written as `new URL("literal", import.meta.url)`
 * so that bundlers (Vite, webpack 5, esbuild with the right loader) copy the .wasm files.
 */
export function defaultWasmUrl(threads: boolean): URL {
  return threads
    ? new URL("../../build/tsnpu-kernels.wasm", import.meta.url)
    : new URL("../../build/tsnpu-kernels-st.wasm", import.meta.url);
}

// Hidden from bundlers: only Node ever evaluates these imports.
const nodeImport = (name: string): Promise<any> => import(/* @vite-ignore */ /* webpackIgnore: true */ name);

export async function compileWasm(source: WasmSource): Promise<WebAssembly.Module> {
  if (source instanceof WebAssembly.Module) return source;
  if (typeof source === "string" || source instanceof URL) {
    const url = typeof source === "string" ? new URL(source, isNode ? `file://${process.cwd()}/` : (globalThis as { location?: { href: string } }).location?.href) : source;
    if (url.protocol === "file:" && isNode) {
      const fs = await nodeImport("node:fs/promises");
      const { fileURLToPath } = await nodeImport("node:url");
      const bytes: Uint8Array = await fs.readFile(fileURLToPath(url));
      return WebAssembly.compile(bytes as BufferSource);
    }
    const response = await fetch(url);
    if (!response.ok) throw new Error(`@tsnpu/backend-wasm: cannot fetch ${url.href}: HTTP ${response.status}`);
    if (typeof WebAssembly.compileStreaming === "function" && response.headers.get("content-type")?.startsWith("application/wasm")) {
      return WebAssembly.compileStreaming(response);
    }
    return WebAssembly.compile(await response.arrayBuffer());
  }
  return WebAssembly.compile(source);
}

/** Logical cores, or 1 if unknown. */
export async function hardwareConcurrency(): Promise<number> {
  if (isNode) {
    const os = await nodeImport("node:os");
    return typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
  }
  return (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1;
}

/** Why threads are unavailable here, or null when they are available. */
export function threadsUnavailableReason(): string | null {
  if (typeof SharedArrayBuffer === "undefined" || typeof Atomics === "undefined") {
    return "SharedArrayBuffer is not available";
  }
  if (!isNode && (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated !== true) {
    return "the page is not cross-origin isolated, so SharedArrayBuffer cannot be shared with workers";
  }
  if (!isNode && typeof (globalThis as { Worker?: unknown }).Worker === "undefined") return "Web Workers are not available";
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
  data: { module: WebAssembly.Module; memory: WebAssembly.Memory; ctl: number; tid: number; startGen: number },
): Promise<WorkerHandle> {
  if (isNode) {
    const { Worker } = await nodeImport("node:worker_threads");
    const w = new Worker(source, { eval: true, workerData: data });
    await new Promise<void>((resolve, reject) => {
      w.once("message", () => resolve());
      w.once("error", reject);
      w.once("exit", (code: number) => reject(new Error(`@tsnpu/backend-wasm: worker exited early (${code})`)));
    });
    w.removeAllListeners("error");
    w.removeAllListeners("exit");
    w.unref(); // an idle pool must not keep Node alive
    return { terminate: () => void w.terminate() };
  }
  const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
  const WebWorker = (globalThis as unknown as { Worker: new (url: string) => BrowserWorker }).Worker;
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
