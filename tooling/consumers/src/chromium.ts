// Headless Chromium (the system's: Debian's /usr/bin/chromium in CI) driven by playwright-core,
// which brings no browser of its own. A page of page/ writes "RESULT {json}" or "ERROR stack"
// into #out; runPage waits for either and returns the result, or throws with what the page said
// and logged.
import { execFileSync } from "node:child_process";
import { chromium, type BrowserContext } from "playwright-core";

/** The Chromium binary on PATH, or null (the browser tests are skipped then, saying why). */
export function findChromium(): string | null {
  for (const bin of ["chromium", "chromium-browser", "google-chrome"]) {
    try {
      return execFileSync("which", [bin], { encoding: "utf8" }).trim() || null;
    } catch {
      /* not installed */
    }
  }
  return null;
}

/**
 * Starts Chromium with one browsing context (a temporary profile) for every page: a new page
 * costs far less than a new context, and COOP/COEP apply per document anyway. close() ends it.
 */
export function launchChromium(executablePath: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext("", {
    executablePath,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
  });
}

export interface PageResult {
  readonly isolated: boolean;
  readonly threads: number;
  readonly identical: boolean;
  readonly n: number;
}

/** Opens `url` in a new page and returns the page's RESULT. */
export async function runPage(browser: BrowserContext, url: string): Promise<PageResult> {
  const { text, log } = await pageOutput(browser, url);
  if (text.startsWith("RESULT ")) return JSON.parse(text.slice(7)) as PageResult;
  throw new Error(`${url} said: ${text || "(nothing)"}\n${log.join("\n")}`);
}

/** Opens `url` in a new page; returns #out once it says RESULT or ERROR (or at the timeout), and what the page logged. */
export async function pageOutput(
  browser: BrowserContext,
  url: string,
  timeoutMs = 90_000,
): Promise<{ text: string; log: string[] }> {
  const page = await browser.newPage();
  const log: string[] = [];
  try {
    page.on("console", (m) => void log.push(`console.${m.type()}: ${m.text()}`));
    page.on("pageerror", (e) => void log.push(`page error: ${e.message}`));
    page.on(
      "response",
      (r) => void (r.status() >= 400 && log.push(`HTTP ${r.status()} ${r.url()}`)),
    );
    await page.goto(url);
    await page
      .waitForFunction(
        () => /^(RESULT|ERROR) /.test(document.getElementById("out")?.textContent ?? ""),
        null,
        { timeout: timeoutMs },
      )
      .catch(() => undefined); // the caller reports what the page said instead
    return { text: (await page.locator("#out").textContent()) ?? "", log };
  } finally {
    await page.close();
  }
}
