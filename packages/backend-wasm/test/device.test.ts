// The "wasm" device as a user sees it: start-up, memory ownership, the shared meta
// validation, and the cpu fallback for ops without a wasm kernel.
import { describe, expect, it, vi } from "vitest";
import "@tsnpu/backend-cpu";
import {
  ArgumentError,
  KernelNotFoundError,
  TsnpuError,
  float16,
  float64,
  int8,
  npuQuantConv2d,
  randint,
  setFallback,
  tensor,
  zeros,
  int64,
} from "@tsnpu/tensor";
import { QuantConv2d, compile } from "@tsnpu/nn";
import { wasm } from "../src/index.js";

describe("the wasm device", () => {
  it("says how to start it when used before ready()", () => {
    expect(() => zeros([2], { device: "wasm" })).toThrow(TsnpuError);
    expect(() => zeros([2], { device: "wasm" })).toThrow(/await wasm.ready\(\)/);
  });

  it("names a bad option, and a later ready() still starts", async () => {
    await expect(wasm.ready({ numThreads: 0 })).rejects.toThrow(ArgumentError);
    await expect(wasm.ready({ numThreads: 1.5 })).rejects.toThrow(
      "wasm.ready: numThreads must be an integer >= 1, but got 1.5",
    );
    await expect(wasm.ready({ spinMs: -1 })).rejects.toThrow(
      "spinMs must be milliseconds in [0, 1000], but got -1",
    );
    await expect(wasm.ready({ maxMemoryBytes: Number.NaN })).rejects.toThrow(
      /maxMemoryBytes .* got NaN/,
    );
    expect((await wasm.ready({ numThreads: 2 })).numThreads).toBe(2);
  });

  it("setNumThreads limits the threads of each call, with the same bits; bad counts are named", async () => {
    const rt = await wasm.ready({ numThreads: 2 });
    expect(wasm.getNumThreads()).toBe(2);
    for (const bad of [0, 3, 1.5]) {
      expect(() => wasm.setNumThreads(bad)).toThrow(
        `wasm.setNumThreads: n must be an integer in [1, 2] (the threads this runtime started), but got ${bad}`,
      );
    }
    // A call on 2 threads opens a new generation of the control block's counter (pool.ts); a
    // call on the calling thread alone does not.
    const generation = () => rt.view(Int32Array, (rt as unknown as { ctl: number }).ctl, 1)[0]!;
    // 32x32: the same work split for 1 and 2 threads; 8x8: split into more channel groups for
    // 2 threads (plan.ts), so the plan is re-split at every change of count.
    for (const [c, hw] of [
      [16, 32],
      [64, 8],
    ] as const) {
      const m = new QuantConv2d(c, c, 3, float16, { padding: 1 });
      m.weight.data = randint(-128, 128, [c, c, 3, 3], { dtype: int8 });
      const x = randint(-128, 128, [1, c, hw, hw], { dtype: int8 });
      const expected = m.forward(x).toTypedArray();
      m.to("wasm");
      const xw = x.to("wasm");
      for (const threads of [2, 1, 2, 1]) {
        wasm.setNumThreads(threads);
        expect(wasm.getNumThreads()).toBe(threads);
        const before = generation();
        const y = m.forward(xw);
        expect(generation() - before).toBe(threads - 1);
        expect(y.cpu().toTypedArray()).toEqual(expected);
      }
    }
    wasm.setNumThreads(2);
  });

  it("keeps memory flat over 10,000 compiled calls whose outputs are disposed", async () => {
    const rt = await wasm.ready({ numThreads: 2 });
    const m = new QuantConv2d(1, 1, 3, float16).to("wasm");
    m.weight.data = randint(-128, 128, [1, 1, 3, 3], { dtype: int8 }).to("wasm");
    const run = compile(m, { backend: wasm.backend() });
    const x = randint(-128, 128, [1, 1, 64, 64], { dtype: int8 }).to("wasm");
    run(x).dispose();
    const bytes = rt.memory.buffer.byteLength;
    const allocated = rt.allocatedBytes;
    for (let i = 0; i < 10_000; i++) run(x).dispose();
    expect(rt.memory.buffer.byteLength).toBe(bytes);
    expect(rt.allocatedBytes).toBe(allocated);
  });

  it("packs eager weights once and keeps memory flat too", async () => {
    const rt = await wasm.ready();
    const m = new QuantConv2d(8, 8, 3, float16, { padding: 1 }).to("wasm");
    const x = randint(-128, 128, [1, 8, 16, 16], { dtype: int8 }).to("wasm");
    m.forward(x).dispose();
    const allocated = rt.allocatedBytes;
    for (let i = 0; i < 1000; i++) m.forward(x).dispose();
    expect(rt.allocatedBytes).toBe(allocated);
  });

  it("writes a typed array straight into wasm memory, float32 -> float16 with the cpu cast's bits", async () => {
    await wasm.ready();
    const values = Float32Array.from(
      { length: 1000 },
      (_, i) => Math.sin(i) * 2 ** ((i % 40) - 25),
    );
    values[7] = Number.NaN;
    values[8] = 70000;
    // NaNs with payloads, signalling and quiet, of both signs.
    new Uint32Array(values.buffer).set([0x7fa00001, 0xffc12345, 0x7f800001, 0xff812000], 9);
    const onWasm = tensor(values, { dtype: float16, device: "wasm" });
    expect(onWasm.device.toString()).toBe("wasm");
    expect(onWasm.toTypedArray()).toEqual(tensor(values).to(float16).toTypedArray());
    const ints = tensor(new Int32Array([3, -4]), { device: "wasm" });
    expect([ints.device.toString(), ints.tolist()]).toEqual(["wasm", [3, -4]]);
  });

  it("refuses a disposed tensor clearly", async () => {
    await wasm.ready();
    const t = tensor([1, 2, 3], { dtype: int8, device: "wasm" });
    t.dispose();
    expect(() => t.toTypedArray()).toThrow(/disposed/);
  });

  it("throws the same typed errors as the cpu (they come from the meta function)", async () => {
    await wasm.ready();
    const x = zeros([1, 2, 5, 5], { dtype: int8, device: "wasm" });
    const w = zeros([3, 2, 3, 3], { dtype: int8, device: "wasm" });
    const call = () =>
      npuQuantConv2d(x, w, zeros([3], { dtype: int64, device: "wasm" }), {
        outputDtype: float16,
        offsetX: 300,
      });
    expect(call).toThrow(ArgumentError);
    expect(call).toThrow(
      "npu_quant_conv2d: offsetX must be an integer in [-128, 127], but got 300",
    );
  });

  it("runs ops without a wasm kernel only through the opt-in cpu fallback", async () => {
    await wasm.ready();
    const a = tensor([1.5, -2, 3], { dtype: float64, device: "wasm" }); // no float64 kernels on wasm
    expect(() => a.neg()).toThrow(KernelNotFoundError);
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    setFallback("wasm", "cpu");
    try {
      const r = a.neg();
      expect(r.device.toString()).toBe("wasm");
      expect(r.tolist()).toEqual([-1.5, 2, -3]);
      expect(warn).toHaveBeenCalledTimes(1);
    } finally {
      setFallback("wasm", "refuse");
      warn.mockRestore();
    }
  });
});
