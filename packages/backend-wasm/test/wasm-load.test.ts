// The loader checks that what it fetched is WebAssembly: an HTML fallback page (a dev server or
// SPA host answering for a .wasm it does not have) or an error status gives a WasmLoadError that
// says what came back and how to serve the files, instead of WebAssembly's "expected magic word".
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TsnpuError } from "@tsnpu/tensor";
import { WasmLoadError, WasmRuntime, defaultWasmUrl } from "../src/index.js";
import { compileWasm } from "../src/runtime/loader.js";

const kernels = readFileSync(defaultWasmUrl(false));
const page = "<!doctype html><html><body>app</body></html>";

let server: Server;
let origin = "";
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === "/html.wasm") res.writeHead(200, { "content-type": "text/html" }).end(page);
    else if (req.url === "/octet.wasm")
      res.writeHead(200, { "content-type": "application/octet-stream" }).end(kernels);
    else if (req.url === "/text.wasm")
      res.writeHead(200, { "content-type": "text/plain" }).end("not found");
    else res.writeHead(404, { "content-type": "text/plain" }).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function loadError(source: Parameters<typeof compileWasm>[0]): Promise<WasmLoadError> {
  const error = await compileWasm(source).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WasmLoadError);
  expect(error).toBeInstanceOf(TsnpuError);
  return error as WasmLoadError;
}

describe("the kernel module loader", () => {
  it("names an HTML page served for the .wasm, its bytes, and the bundler fixes", async () => {
    const e = await loadError(`${origin}/html.wasm`);
    expect(e.url).toBe(`${origin}/html.wasm`);
    expect(e.contentType).toBe("text/html");
    expect(e.firstBytes).toBe("3c 21 64 6f 63 74 79 70");
    expect(e.message).toContain(`${origin}/html.wasm is not WebAssembly`);
    expect(e.message).toContain('Content-Type "text/html"');
    expect(e.message).toContain("an HTML page");
    expect(e.message).toContain('optimizeDeps: { exclude: ["@tsnpu/backend-wasm"] }');
    expect(e.message).toContain("copy both files next to the bundle");
  });

  it("names a wrong content type with non-wasm bytes", async () => {
    const e = await loadError(`${origin}/text.wasm`);
    expect(e.contentType).toBe("text/plain");
    expect(e.message).toContain(
      'Content-Type "text/plain", 9 bytes starting 6e 6f 74 20 66 6f 75 6e ("not foun")',
    );
    expect(e.message).toContain("not WebAssembly (a module starts with 00 61 73 6d)");
  });

  it("reports an HTTP error status as a WasmLoadError", async () => {
    const e = await loadError(`${origin}/missing.wasm`);
    expect(e.message).toContain(`cannot fetch the kernel module ${origin}/missing.wasm: HTTP 404`);
  });

  it("wraps a failed request and a missing file, keeping the cause", async () => {
    const unreachable = await loadError("http://127.0.0.1:1/kernels.wasm");
    expect(unreachable.message).toContain(
      "cannot fetch the kernel module http://127.0.0.1:1/kernels.wasm: fetch failed",
    );
    expect(unreachable.cause).toBeInstanceOf(Error);
    const missing = await loadError(new URL("./no-such-kernels.wasm", import.meta.url));
    expect(missing.message).toMatch(
      /cannot read the kernel module file:.*no-such-kernels\.wasm: ENOENT/,
    );
    expect((missing.cause as { code?: string }).code).toBe("ENOENT");
  });

  it("checks bytes passed in and files read in Node too", async () => {
    const bytes = await loadError(new TextEncoder().encode(page));
    expect(bytes.url).toBe("the bytes passed as `wasm` / `wasmSingleThread`");
    expect(bytes.message).toContain("Pass the contents of a .wasm file.");
    const file = await loadError(new URL("./wasm-load.test.ts", import.meta.url));
    expect(file.url).toMatch(/^file:.*wasm-load\.test\.ts$/);
    expect(file.contentType).toBeNull();
  });

  it("accepts real kernels whatever the content type", async () => {
    const rt = await WasmRuntime.create({
      numThreads: 1,
      wasmSingleThread: `${origin}/octet.wasm`,
    });
    rt.dispose();
    await expect(compileWasm(kernels)).resolves.toBeInstanceOf(WebAssembly.Module);
  });

  it("reaches callers of WasmRuntime.create as a WasmLoadError", async () => {
    await expect(
      WasmRuntime.create({ numThreads: 1, wasmSingleThread: `${origin}/html.wasm` }),
    ).rejects.toThrow(WasmLoadError);
  });
});
