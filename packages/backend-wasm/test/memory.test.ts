// Steady state: at a fixed shape, calls allocate nothing and the memory never grows.
import { describe, expect, it } from "vitest";
import { decodeQuantScales } from "@tsnpu/tensor";
import { WasmRuntime } from "../src/index.js";
import { geometry } from "./helpers.js";

describe("memory", () => {
  for (const threads of [1, 2]) {
    it(`stays constant over 10,000 calls (${threads} thread(s))`, async () => {
      const rt = await WasmRuntime.create({ numThreads: threads, minParallelMacs: 0 });
      try {
        const g = geometry([1, 8, 10, 10], [16, 8, 3, 3], [1, 1], [1, 1], [1, 1], -3);
        const weight = Int8Array.from({ length: 16 * 8 * 9 }, (_, i) => ((i * 37) % 255) - 127);
        const input = Int8Array.from({ length: 8 * 100 }, (_, i) => ((i * 11) % 255) - 127);
        const packed = rt.packQuantConv2dWeights(g, weight);
        const x = rt.upload(input);
        const b = rt.upload(new Int32Array(16).fill(7));
        const s = rt.upload(decodeQuantScales(new BigInt64Array(16).fill(0x3c000000n)));
        const o = rt.alloc(16 * 100 * 2);
        rt.quantConv2d(g, x, packed, b, s, o);
        const first = rt.view(Uint16Array, o, 1600).slice();
        const bytes = rt.memory.buffer.byteLength;
        const allocated = rt.allocatedBytes;
        for (let i = 0; i < 10_000; i++) rt.quantConv2d(g, x, packed, b, s, o);
        expect(rt.memory.buffer.byteLength).toBe(bytes);
        expect(rt.allocatedBytes).toBe(allocated);
        expect(rt.view(Uint16Array, o, 1600)).toEqual(first);
        rt.freePacked(packed);
        for (const p of [x, b, s, o]) rt.free(p);
        expect(rt.allocatedBytes).toBeLessThan(1024);
      } finally {
        rt.dispose();
      }
    });
  }

  it("refuses a geometry that differs from the packed one", async () => {
    const rt = await WasmRuntime.create({ numThreads: 1 });
    const g = geometry([1, 2, 4, 4], [2, 2, 1, 1], [1, 1], [0, 0], [1, 1], 0);
    const packed = rt.packQuantConv2dWeights(g, new Int8Array(4));
    expect(() => rt.quantConv2d({ ...g, offsetX: 1 }, 0, packed, 0, 0, 0)).toThrow(/offsetX/);
    rt.dispose();
  });
});
