// The wasm runtime on 2 threads when the page may share memory with workers (cross-origin
// isolated: the server sent COOP/COEP), else on 1; ops without a wasm or npu kernel (the float
// convs) run on the cpu behind copies.
import * as torch from "tsnpu";

export interface Runtime {
  readonly isolated: boolean;
  readonly threads: number;
  /** What the page says about threads, and why. */
  readonly message: string;
}

export async function startRuntime(): Promise<Runtime> {
  const rt = await torch.wasm.ready({ numThreads: 2 });
  torch.setFallback("wasm", "cpu");
  torch.setFallback("npu", "cpu");
  const isolated = globalThis.crossOriginIsolated === true;
  const message = isolated
    ? `wasm runtime: ${rt.numThreads} threads (the page is cross-origin isolated).`
    : `wasm runtime: ${rt.numThreads} thread, because this page is not cross-origin isolated: the server sent no Cross-Origin-Opener-Policy / Cross-Origin-Embedder-Policy headers, so SharedArrayBuffer (needed for worker threads) is unavailable. The results are the same, only slower.`;
  return { isolated, threads: rt.numThreads, message };
}

/** A tensor's values as float32 on the host, whatever its float dtype and device. */
export function hostFloats(t: torch.Tensor): Float32Array {
  const host = t.dtype === torch.float32 ? t.cpu() : t.cpu().to(torch.float32);
  return host.toTypedArray() as Float32Array;
}

/** Milliseconds `fn` takes, with its result. */
export function timed<T>(fn: () => T): { result: T; ms: number } {
  const t0 = performance.now();
  const result = fn();
  return { result, ms: performance.now() - t0 };
}

export async function fetchBytes(url: string): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}
