// The quantized model is an ordinary graph of bit-exact ops: eager and compiled, cpu, wasm and
// the simulated NPU give the same output bits.
import "@tsnpu/backend-cpu";
import "@tsnpu/backend-npu-sim";
import { ready } from "@tsnpu/backend-wasm";
import { compile, type Module } from "@tsnpu/nn";
import { float16, manualSeed, randn, type Tensor } from "@tsnpu/tensor";
import { beforeAll, describe, expect, it } from "vitest";
import { quantize } from "../src/index.js";
import { asymmetricPadOnnx, batches, sharedInputOnnx, smallCnn } from "./models.js";

const bits = (t: Tensor) => [...t.toTypedArray()].map(String).join();

beforeAll(async () => {
  await ready({ numThreads: 1 });
  // No fallback: every op of a quantized network has a wasm and an npu kernel (a missing one
  // would throw KernelNotFoundError).
});

async function quantizedModels(): Promise<[string, Module, number[]][]> {
  manualSeed(3);
  const nn = await quantize(smallCnn(), batches(2, [2, 3, 8, 8]));
  const onnx = await quantize(await sharedInputOnnx(), batches(2, [1, 4, 8, 8]));
  const padded = await quantize(await asymmetricPadOnnx(), batches(2, [1, 3, 8, 8]));
  return [
    ["nn Sequential", nn.model, [2, 3, 8, 8]],
    ["OnnxModule", onnx.model, [1, 4, 8, 8]],
    ["OnnxModule, asymmetric pads", padded.model, [1, 3, 8, 8]],
  ];
}

describe("quantized models on every backend", () => {
  it("give the cpu's bits on wasm and npu, eager and compiled", async () => {
    for (const [name, model, shape] of await quantizedModels()) {
      const x = randn(shape).to(float16);
      const want = bits(model.forward(x));
      expect(bits(compile(model)(x) as Tensor), `${name} cpu compiled`).toBe(want);
      for (const device of ["wasm", "npu:0"]) {
        model.to(device);
        const xd = x.to(device);
        const y = model.forward(xd);
        expect(y.device.toString(), name).toBe(device);
        expect(bits(y), `${name} ${device} eager`).toBe(want);
        expect(bits(compile(model)(xd) as Tensor), `${name} ${device} compiled`).toBe(want);
        model.to("cpu");
      }
    }
  }, 120_000);
});
