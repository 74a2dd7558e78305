// The worker's whole program, as a string so that it runs unchanged from the TypeScript
// sources (vitest), from dist, and from a bundle: Node starts it with `eval: true`, browsers
// from a Blob URL. It instantiates the shared kernel module on the shared memory, says
// "ready", and enters workerLoop (a loop inside wasm that waits on the control block) until
// the runtime is disposed.

export const WORKER_SOURCE = `
"use strict";
function start(d, post) {
  const instance = new WebAssembly.Instance(d.module, { env: { memory: d.memory, now: () => performance.now() } });
  post("ready");
  instance.exports.workerLoop(d.ctl, d.tid, d.startGen);
}
if (typeof self === "undefined" || typeof self.postMessage !== "function") {
  const wt = require("node:worker_threads");
  start(wt.workerData, (m) => wt.parentPort.postMessage(m));
} else {
  self.onmessage = (e) => start(e.data, (m) => self.postMessage(m));
}
`;
