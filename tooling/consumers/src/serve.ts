// A static file server for built pages: the headers that make a page cross-origin isolated
// (COOP/COEP, so SharedArrayBuffer and worker threads are allowed) are sent with a document
// requested with ?isolated=1, and only then.
import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { extname, join, resolve, sep } from "node:path";

const TYPES: Record<string, string> = {
  ".html": "text/html",
  ".js": "text/javascript",
  ".mjs": "text/javascript",
  ".wasm": "application/wasm",
  ".map": "application/json",
  ".css": "text/css",
  ".png": "image/png",
};

/** Adds COOP/COEP to the response when the request asks for an isolated page (?isolated=1). */
export function isolationHeaders(req: IncomingMessage, res: ServerResponse): void {
  if (new URL(req.url ?? "/", "http://localhost").searchParams.get("isolated") === "1") {
    res.setHeader("cross-origin-opener-policy", "same-origin");
    res.setHeader("cross-origin-embedder-policy", "require-corp");
  }
}

export interface StaticServer {
  /** http://127.0.0.1:port */
  readonly origin: string;
  close(): Promise<void>;
}

/** Serves the files under `root` on a free port of 127.0.0.1 (404 for anything else, as a plain host would). */
export async function serveStatic(root: string): Promise<StaticServer> {
  const base = resolve(root) + sep;
  const server = createServer(async (req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? "/", "http://localhost").pathname);
    const path = resolve(join(base, pathname.endsWith("/") ? `${pathname}index.html` : pathname));
    if (!path.startsWith(base)) return void res.writeHead(403).end();
    try {
      const body = await readFile(path);
      isolationHeaders(req, res);
      res
        .writeHead(200, { "content-type": TYPES[extname(path)] ?? "application/octet-stream" })
        .end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address() as { port: number };
  return {
    origin: `http://127.0.0.1:${port}`,
    // The browser keeps connections alive; close() alone would wait for them to time out.
    close: () =>
      new Promise<void>((ok) => {
        server.close(() => ok());
        server.closeAllConnections();
      }),
  };
}
