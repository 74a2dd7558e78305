// The demo page: the wasm runtime first (threads if isolated), then the digits and faces parts.
// Every part reports into the DOM (text for people, data-* attributes the browser test reads).
import { setUpDigits } from "./digits.js";
import { setUpFaces } from "./faces.js";
import { startRuntime } from "./runtime.js";
import "./style.css";

async function main(): Promise<void> {
  const status = document.getElementById("runtime")!;
  const runtime = await startRuntime();
  status.textContent = runtime.message;
  document.body.dataset.threads = String(runtime.threads);
  document.body.dataset.isolated = String(runtime.isolated);
  await setUpDigits();
  document.body.dataset.digitsReady = "true";
  // BlazeFace and the NPU profile take seconds of main thread: start them when the faces part
  // scrolls into view, so the pad answers at once.
  await whenVisible(document.getElementById("faces-title")!);
  await setUpFaces();
  document.body.dataset.ready = "true";
}

function whenVisible(element: Element): Promise<void> {
  return new Promise((resolve) => {
    const observer = new IntersectionObserver((entries) => {
      if (!entries.some((e) => e.isIntersecting)) return;
      observer.disconnect();
      resolve();
    });
    observer.observe(element);
  });
}

main().catch((e: unknown) => {
  const status = document.getElementById("runtime")!;
  status.textContent = `Error: ${e instanceof Error ? e.message : String(e)}`;
  document.body.dataset.error = e instanceof Error ? (e.stack ?? e.message) : String(e);
  console.error(e);
});
