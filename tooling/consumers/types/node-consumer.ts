// Uses every package's public entry points, including the wasm backend's loader types, from a
// Node project with no DOM lib (see tsconfig.json here). Type-checked only, never run.
import * as torch from "tsnpu";
import { QuantConv2d } from "tsnpu/contrib";
import type { Tensor, TsnpuError } from "@tsnpu/tensor";
import { Module } from "@tsnpu/nn";
import * as contrib from "@tsnpu/nn/contrib";
import * as functional from "@tsnpu/nn/functional";
import "@tsnpu/backend-cpu";
import { npu } from "@tsnpu/backend-npu-sim";
import {
  WasmLoadError,
  type WasmRuntime,
  defaultWasmUrl,
  wasm,
  type WasmMemory,
  type WasmSource,
} from "@tsnpu/backend-wasm";
import { readFileSync } from "node:fs";

const sources: WasmSource[] = [
  defaultWasmUrl(true),
  "./kernels.wasm",
  readFileSync(defaultWasmUrl(false)),
  new ArrayBuffer(8),
];
const rt: WasmRuntime = await wasm.ready({
  numThreads: 2,
  wasm: sources[0],
  wasmSingleThread: sources[2],
});
const memory: WasmMemory = rt.memory;
const bytes: number = memory.buffer.byteLength;
const model = new QuantConv2d(16, 32, 3, torch.float16, { padding: 1 });
const y: Tensor = model.forward(torch.randint(-128, 128, [1, 16, 8, 8], { dtype: torch.int8 }));
const error: TsnpuError = new WasmLoadError("url", "text/html", "3c 21 64 6f", "message");
export { bytes, y, error, npu, Module, contrib, functional };
