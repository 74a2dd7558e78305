// The demo in Debian's Chromium (playwright-core, no browser of its own). The built page, served
// by tooling/consumers' static server, which sends COOP/COEP only for ?isolated=1: scripted
// strokes for three digits (float32 and int8 labels), BlazeFace on astronaut.png (one face, where
// it is), the NPU profile chart (one entry per layer), on 2 threads when isolated and 1 when not;
// the controls reached with Tab and labelled, nothing wider than the phone. And `pnpm dev` (the
// Vite dev server, COOP/COEP from vite.config.ts) as a user starts it: a digit and the faces.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { findChromium, launchChromium } from "@tsnpu/consumers/src/chromium.ts";
import { type StaticServer, serveStatic } from "@tsnpu/consumers/src/serve.ts";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const chromium = findChromium();
const appDir = fileURLToPath(new URL("../", import.meta.url));
/** Screenshots for people (CI keeps the folder as an artifact; gitignored). */
const artifacts = join(appDir, "artifacts");
const TIMEOUT = 120_000;

type Stroke = readonly (readonly [number, number])[];
const ellipse = (cx: number, cy: number, rx: number, ry: number): Stroke =>
  Array.from({ length: 33 }, (_, i) => {
    const a = (i / 32) * 2 * Math.PI;
    return [cx + rx * Math.sin(a), cy - ry * Math.cos(a)] as const;
  });

/** Strokes in the pad's 280x280 pixels, as a person would draw each digit. */
const DIGITS: { label: number; strokes: Stroke[] }[] = [
  {
    label: 1,
    strokes: [
      [
        [140, 40],
        [140, 240],
      ],
    ],
  },
  {
    label: 7,
    strokes: [
      [
        [70, 50],
        [210, 50],
        [120, 240],
      ],
    ],
  },
  { label: 0, strokes: [ellipse(140, 140, 65, 95)] },
];

async function draw(page: Page, strokes: readonly Stroke[]): Promise<void> {
  await page.locator("#pad").scrollIntoViewIfNeeded();
  const box = (await page.locator("#pad").boundingBox())!;
  const k = box.width / 280;
  for (const stroke of strokes) {
    const [first, ...rest] = stroke;
    await page.mouse.move(box.x + first![0] * k, box.y + first![1] * k);
    await page.mouse.down();
    for (const [x, y] of rest) await page.mouse.move(box.x + x * k, box.y + y * k, { steps: 8 });
    await page.mouse.up();
  }
}

const attr = (page: Page, selector: string, name: string) =>
  page.locator(selector).getAttribute(name);

/** Opens the page at phone width; waits until `part` ("ready": everything, "digitsReady") is up. */
async function openDemo(
  browser: BrowserContext,
  url: string,
  part: "ready" | "digitsReady" = "ready",
): Promise<Page> {
  const page = await browser.newPage();
  await page.setViewportSize({ width: 375, height: 667 });
  const log: string[] = [];
  page.on("console", (m) => void log.push(`console.${m.type()}: ${m.text()}`));
  page.on("pageerror", (e) => void log.push(`page error: ${e.message}`));
  await page.goto(url);
  // The faces part starts when it scrolls into view.
  if (part === "ready") {
    await page.waitForFunction(() => document.body.dataset.digitsReady, null, { timeout: TIMEOUT });
    await page.locator("#faces-title").scrollIntoViewIfNeeded();
  }
  await page
    .waitForFunction((p) => document.body.dataset[p] || document.body.dataset.error, part, {
      timeout: TIMEOUT,
    })
    .catch(() => undefined);
  const error = await attr(page, "body", "data-error");
  if (!(await page.evaluate((p) => document.body.dataset[p] === "true", part)))
    throw new Error(`${url} did not get ready: ${error ?? "(timeout)"}\n${log.join("\n")}`);
  return page;
}

/** Clears the pad from the keyboard, draws, and returns the float32 and int8 labels. */
async function classify(page: Page, strokes: readonly Stroke[]): Promise<[number, number]> {
  await page.locator("#clear").focus();
  await page.keyboard.press("Enter");
  const before = Number((await attr(page, "#digit-result", "data-runs")) ?? 0);
  await draw(page, strokes);
  const expected = before + strokes.length;
  await page.waitForFunction(
    (n) => Number(document.getElementById("digit-result")!.dataset.runs ?? 0) >= n,
    expected,
  );
  return [
    Number(await attr(page, "#digit-result", "data-float")),
    Number(await attr(page, "#digit-result", "data-int8")),
  ];
}

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
  score: number;
}

/** What the test saw of the faces, per server (written to artifacts/faces.json for people). */
const facesSeen: Record<string, { float: Box[]; int8: Box[] }> = {};

/**
 * BlazeFace on astronaut.png: Eileen Collins' face, upper middle of the 512x512 photo. float
 * and int8 each find exactly that face (the boxes are also written to artifacts/faces.json).
 */
async function expectAstronautFaces(page: Page, server: string): Promise<void> {
  expect(await attr(page, "#faces-summary", "data-photo")).toBe("astronaut.png");
  const seen = { float: [] as Box[], int8: [] as Box[] };
  for (const precision of ["float", "int8"] as const) {
    const faces = JSON.parse((await attr(page, "#faces-summary", `data-${precision}`))!) as Box[];
    seen[precision] = faces;
    expect(faces, precision).toHaveLength(1);
    const { x, y, w, h } = faces[0]!;
    expect(x + w / 2, `${precision} centre x`).toBeGreaterThan(190);
    expect(x + w / 2).toBeLessThan(260);
    expect(y + h / 2, `${precision} centre y`).toBeGreaterThan(95);
    expect(y + h / 2).toBeLessThan(160);
    expect(w).toBeGreaterThan(60);
    expect(w).toBeLessThan(140);
  }
  facesSeen[server] = seen;
  writeFileSync(join(artifacts, "faces.json"), `${JSON.stringify(facesSeen, null, 2)}\n`);
}

/** A TCP port nobody listens on now (the dev server is told to take exactly it). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Polls `url` until it answers 200 (the dev server is up), or throws with its output. */
async function waitForServer(url: string, output: () => string, ms = 90_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${ms} ms:\n${output()}`);
}

describe.skipIf(!chromium)(
  `the web demo in headless Chromium${chromium ? "" : " — skipped: no chromium on this machine (.ci/run installs it)"}`,
  () => {
    let browser: BrowserContext;
    let server: StaticServer;
    let outDir: string;
    beforeAll(async () => {
      const { build } = await import("vite");
      outDir = mkdtempSync(join(tmpdir(), "tsnpu-web-demo-"));
      [browser] = await Promise.all([
        launchChromium(chromium!),
        build({ root: appDir, logLevel: "error", build: { outDir, emptyOutDir: true } }),
      ]);
      server = await serveStatic(outDir);
      mkdirSync(artifacts, { recursive: true });
    }, TIMEOUT);
    afterAll(async () => {
      await browser?.close();
      await server?.close();
      if (outDir) rmSync(outDir, { recursive: true, force: true });
    }, TIMEOUT);

    it(
      "cross-origin isolated: 2 threads, three digits, one face on astronaut.png, a profile row per layer",
      async () => {
        const page = await openDemo(browser, `${server.origin}/index.html?isolated=1`);
        expect(await attr(page, "body", "data-isolated")).toBe("true");
        expect(await attr(page, "body", "data-threads")).toBe("2");

        for (const { label, strokes } of DIGITS) {
          expect(await classify(page, strokes), `digit ${label}`).toEqual([label, label]);
          await page
            .locator("section")
            .first()
            .screenshot({ path: join(artifacts, `digit-${label}.png`) });
        }

        await expectAstronautFaces(page, "built (vite build + static server)");

        // The chart: one <g class="layer"> per profiled layer, as many as the page reports.
        const layers = Number(await attr(page, "#profile", "data-layers"));
        expect(layers).toBeGreaterThan(10);
        expect(await page.locator("#profile g.layer").count()).toBe(layers);

        await page.screenshot({ path: join(artifacts, "isolated-full-page.png"), fullPage: true });
        await page.locator("#profile").screenshot({ path: join(artifacts, "npu-profile.png") });
        await page.close();
      },
      TIMEOUT,
    );

    it(
      "not isolated: 1 thread, the page says why, and still classifies",
      async () => {
        const page = await openDemo(
          browser,
          `${server.origin}/index.html?isolated=0`,
          "digitsReady",
        );
        expect(await attr(page, "body", "data-isolated")).toBe("false");
        expect(await attr(page, "body", "data-threads")).toBe("1");
        expect(await page.locator("#runtime").textContent()).toMatch(
          /1 thread, because this page is not cross-origin isolated/,
        );
        const { label, strokes } = DIGITS[0]!;
        expect(await classify(page, strokes)).toEqual([label, label]);
        await page.screenshot({
          path: join(artifacts, "not-isolated-full-page.png"),
          fullPage: true,
        });
        await page.close();
      },
      TIMEOUT,
    );

    it(
      "keyboard and screen readers: Tab reaches every control, each has a name; nothing wider than a phone",
      async () => {
        const page = await openDemo(browser, `${server.origin}/index.html?isolated=1`);
        await page.evaluate(() => window.scrollTo(0, 0));
        await page.locator("body").focus();
        const reached: string[] = [];
        for (let i = 0; i < 4; i++) {
          await page.keyboard.press("Tab");
          reached.push(await page.evaluate(() => document.activeElement?.id ?? ""));
        }
        // In document order, nothing skipped: the pad's clear button, the photo list, the file
        // picker; then focus leaves the page (the pad and charts are not tab stops).
        expect(reached.slice(0, 3)).toEqual(["clear", "photo", "file"]);
        // The photo list works from the keyboard: arrow down picks the next photo and reruns.
        await page.locator("#photo").focus();
        await page.keyboard.press("ArrowDown");
        await page.waitForFunction(
          () => document.getElementById("faces-summary")!.dataset.photo === "chelsea.png",
          null,
          { timeout: TIMEOUT },
        );
        // Each control and drawing has an accessible name (what axe's button-name, label and
        // role-img-alt rules check): a label, aria-label or text.
        const unnamed = await page.evaluate(() =>
          [...document.querySelectorAll("button, select, input, canvas, svg[role], table")]
            .filter((el) => {
              const labels = (el as HTMLInputElement).labels;
              const named =
                (labels && labels.length > 0) ||
                el.getAttribute("aria-label") ||
                el.getAttribute("aria-labelledby") ||
                (el.tagName === "BUTTON" && el.textContent!.trim());
              const canvasOk = el.tagName !== "CANVAS" || el.getAttribute("role") === "img";
              return !named || !canvasOk;
            })
            .map((el) => el.outerHTML.slice(0, 80)),
        );
        expect(unnamed).toEqual([]);
        // 375 px wide: no horizontal scrolling.
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
          375,
        );
        await page.close();
      },
      TIMEOUT,
    );

    describe("pnpm dev (the Vite dev server)", () => {
      let dev: ChildProcess | undefined;
      let devUrl: string;
      let devOutput = "";
      beforeAll(async () => {
        const port = await freePort();
        // As a user runs it: `pnpm dev` (the models step, then vite), in its own process group
        // so that afterAll ends pnpm, the shell and vite together.
        dev = spawn("pnpm", ["run", "dev", "--port", String(port), "--strictPort"], {
          cwd: appDir,
          detached: true,
          stdio: ["ignore", "pipe", "pipe"],
          env: { ...process.env, NO_COLOR: "1" },
        });
        const collect = (d: Buffer) => {
          devOutput += d;
        };
        dev.stdout!.on("data", collect);
        dev.stderr!.on("data", collect);
        devUrl = `http://localhost:${port}/`;
        await waitForServer(devUrl, () => devOutput);
      }, TIMEOUT);
      afterAll(() => {
        if (dev?.pid !== undefined && dev.exitCode === null) process.kill(-dev.pid, "SIGTERM");
      });

      it(
        "serves the page cross-origin isolated: a digit, the faces, the profile chart",
        async () => {
          const page = await openDemo(browser, devUrl);
          expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
          expect(await attr(page, "body", "data-threads")).toBe("2");
          const { label, strokes } = DIGITS[1]!;
          expect(await classify(page, strokes)).toEqual([label, label]);
          await expectAstronautFaces(page, "dev (pnpm dev)");
          expect(Number(await attr(page, "#profile", "data-layers"))).toBeGreaterThan(10);
          await page.screenshot({
            path: join(artifacts, "dev-server-full-page.png"),
            fullPage: true,
          });
          await page.close();
        },
        TIMEOUT,
      );
    });
  },
);
