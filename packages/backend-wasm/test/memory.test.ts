// Steady state: at a fixed shape, calls allocate nothing and the memory never grows; packed
// convolutions share the runtime's one scratch.
import { describe, expect, it } from "vitest";
import { decodeQuantScales } from "@tsnpu/tensor";
import { WasmRuntime, layoutQuantConv2d } from "../src/index.js";
import { geometry, runOnce } from "./helpers.js";

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

  it("packed convolutions share one scratch: alternating shapes stay correct and allocate nothing", async () => {
    const rt = await WasmRuntime.create({ numThreads: 2, minParallelMacs: 0 });
    const reference = await WasmRuntime.create({ numThreads: 1 });
    try {
      // Two Winograd geometries (both use scratch), the second needing much more of it.
      const problems = [
        [
          [1, 16, 10, 10],
          [16, 16, 3, 3],
        ],
        [
          [1, 64, 28, 28],
          [64, 64, 3, 3],
        ],
      ].map(([inShape, wShape], k) => {
        const g = geometry(inShape!, wShape!, [1, 1], [1, 1], [1, 1], 5);
        const weight = Int8Array.from(
          { length: g.cout * g.cin * 9 },
          (_, i) => ((i * (31 + k)) % 255) - 127,
        );
        const input = Int8Array.from(
          { length: g.cin * g.h * g.w },
          (_, i) => ((i * (13 + k)) % 255) - 127,
        );
        const scale = decodeQuantScales(new BigInt64Array(g.cout).fill(0x3a000000n));
        const outLen = g.cout * g.hOut * g.wOut;
        const expected = runOnce(reference, g, input, weight, null, scale);
        const [x, s, o] = [rt.upload(input), rt.upload(scale), rt.alloc(outLen * 2)];
        const packed = rt.packQuantConv2dWeights(g, weight);
        const call = () => {
          rt.quantConv2d(g, x, packed, 0, s, o);
          return rt.view(Uint16Array, o, outLen).slice();
        };
        return { g, packed, call, expected, buffers: [x, s, o] };
      });
      const [small, large] = problems as [(typeof problems)[0], (typeof problems)[0]];
      const need = (p: typeof small) => layoutQuantConv2d(p.g, 2).scratchStride * 2;
      expect(need(large)).toBeGreaterThan(need(small));
      expect(small.call()).toEqual(small.expected);
      expect(rt.scratchBytes).toBe(need(small));
      expect(large.call()).toEqual(large.expected);
      expect(rt.scratchBytes).toBe(need(large)); // grown to the larger need
      const allocated = rt.allocatedBytes;
      for (let i = 0; i < 5; i++) {
        expect(small.call()).toEqual(small.expected);
        expect(large.call()).toEqual(large.expected);
      }
      expect(rt.allocatedBytes).toBe(allocated);
      rt.freePacked(small.packed);
      expect(large.call()).toEqual(large.expected);
      rt.freePacked(large.packed);
      for (const p of [...small.buffers, ...large.buffers]) rt.free(p);
      expect(rt.allocatedBytes).toBeLessThan(1024);
      expect(rt.scratchBytes).toBe(0);
    } finally {
      rt.dispose();
      reference.dispose();
    }
  });

  it("refuses a geometry that differs from the packed one", async () => {
    const rt = await WasmRuntime.create({ numThreads: 1 });
    const g = geometry([1, 2, 4, 4], [2, 2, 1, 1], [1, 1], [0, 0], [1, 1], 0);
    const packed = rt.packQuantConv2dWeights(g, new Int8Array(4));
    expect(() => rt.quantConv2d({ ...g, offsetX: 1 }, 0, packed, 0, 0, 0)).toThrow(/offsetX/);
    rt.dispose();
  });
});
