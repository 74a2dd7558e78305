// The typed error for a kernel module that could not be had: a failed fetch, or bytes that are
// not WebAssembly (typically an HTML fallback page served for a .wasm the server does not have).

import { TsnpuError } from "@tsnpu/tensor";

/** The kernel module at `url` could not be fetched, or what came back is not WebAssembly. */
export class WasmLoadError extends TsnpuError {
  override name = "WasmLoadError";
  constructor(
    /** Where the module was looked for (a URL, or "bytes passed in"). */
    readonly url: string,
    /** The response's Content-Type header, if there was a response with one. */
    readonly contentType: string | null,
    /** The first bytes received, as hex ("3c 21 64 6f" for "<!do"), or "" when nothing was read. */
    readonly firstBytes: string,
    message: string,
    /** The underlying failure (a network or file-system error), if any. */
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
  }
}
