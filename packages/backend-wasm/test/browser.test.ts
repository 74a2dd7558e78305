// The built package in a real browser (headless Chromium): the .wasm is located from
// import.meta.url, threads start when the page is cross-origin isolated (COOP/COEP headers),
// and the page falls back to one thread otherwise. Either way the bits equal the cpu's.
import { execFileSync, execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const page = fileURLToPath(new URL("./browser/index.html", import.meta.url));

function findChromium(): string | null {
  for (const bin of ["chromium", "chromium-browser", "google-chrome"]) {
    try {
      return execFileSync("which", [bin], { encoding: "utf8" }).trim() || null;
    } catch {
      /* not installed */
    }
  }
  return null;
}
const chromium = findChromium();

const types: Record<string, string> = { ".js": "text/javascript", ".html": "text/html", ".wasm": "application/wasm" };
let server: Server;
let port = 0;

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const path = url.pathname === "/" ? page : join(repoRoot, url.pathname);
    if (!path.startsWith(repoRoot)) return void res.writeHead(403).end();
    try {
      const body = await readFile(path);
      const headers: Record<string, string> = { "content-type": types[extname(path)] ?? "application/octet-stream" };
      if (url.searchParams.get("isolated") === "1") {
        headers["cross-origin-opener-policy"] = "same-origin";
        headers["cross-origin-embedder-policy"] = "require-corp";
      }
      res.writeHead(200, headers).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function runPage(isolated: boolean): Promise<{ isolated: boolean; threads: number; identical: boolean; n: number }> {
  const args = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", `--user-data-dir=${mkdtempSync(join(tmpdir(), "tsnpu-chromium-"))}`,
    "--virtual-time-budget=30000", "--dump-dom", `http://127.0.0.1:${port}/?isolated=${isolated ? 1 : 0}`,
  ];
  return new Promise((resolve, reject) => {
    execFile(chromium!, args, { timeout: 90_000, maxBuffer: 1 << 24 }, (error, stdout) => {
      const text = /<pre id="out">([^<]*)/.exec(stdout)?.[1] ?? "";
      if (text.startsWith("RESULT ")) resolve(JSON.parse(text.slice(7)));
      else reject(new Error(`page said: ${text || "(nothing)"}${error ? `; chromium: ${error.message}` : ""}`));
    });
  });
}

describe.skipIf(!chromium)(`the wasm backend in headless Chromium${chromium ? "" : " — skipped: no chromium on this machine (.ci/run installs it)"}`, () => {
  it("runs on 2 threads when cross-origin isolated, bit-identical to the cpu", async () => {
    expect(await runPage(true)).toEqual({ isolated: true, threads: 2, identical: true, n: 18432 });
  });
  it("falls back to 1 thread without isolation, still bit-identical", async () => {
    expect(await runPage(false)).toEqual({ isolated: false, threads: 1, identical: true, n: 18432 });
  });
});
