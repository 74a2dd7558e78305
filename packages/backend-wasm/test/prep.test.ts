// The padding copy (assembly/prep.ts) transposes a row's last W % 8 pixels with 8-byte reads
// per channel row, which reach past the row; it must fall back to scalar reads where they would
// reach past the input itself. Here the input ends exactly at the end of the wasm memory, where
// one byte too far traps. The pointwise mode (assembly/pointwise.ts) reads each plane's last
// pixels byte by byte for the same reason.
import { describe, expect, it } from "vitest";
import { referenceQuantConv2d } from "@tsnpu/conformance";
import {
  WasmRuntime,
  MODE_DIRECT,
  MODE_POINTWISE,
  MODE_WINOGRAD,
  layoutQuantConv2d,
} from "../src/index.js";
import { firstMismatch, geometry } from "./helpers.js";

/**
 * A pointer to `bytes` that end exactly at the end of the memory: takes the whole trailing
 * free block (grown first by asking for more than any free block holds) and points into its end.
 */
function pointerAtEnd(rt: WasmRuntime, bytes: number): number {
  const p = rt.alloc(rt.memory.buffer.byteLength); // first fit: the start of the grown trailing block
  rt.free(p);
  const size = rt.memory.buffer.byteLength - p;
  expect(rt.alloc(size)).toBe(p); // nothing else is that large
  return p + size - bytes;
}

describe("padding copy at the end of memory", () => {
  const cases = [
    {
      name: "direct 1x1 padded, W = 7",
      mode: MODE_DIRECT,
      g: geometry([1, 8, 8, 7], [16, 8, 1, 1], [1, 1], [1, 0], [1, 1], 3),
    },
    {
      // Reads 8 bytes per channel row except at each plane's last pixels.
      name: "pointwise 1x1, W = 7",
      mode: MODE_POINTWISE,
      g: geometry([1, 8, 8, 7], [16, 8, 1, 1], [1, 1], [0, 0], [1, 1], 3),
    },
    {
      name: "Winograd 3x3, W = 12",
      mode: MODE_WINOGRAD,
      g: geometry([1, 16, 4, 12], [16, 16, 3, 3], [1, 1], [1, 1], [1, 1], -7),
    },
  ];
  for (const { name, mode, g } of cases) {
    it(`${name}: the input's last bytes are read in bounds, and the result is exact`, async () => {
      expect(layoutQuantConv2d(g, 1).fields[0]).toBe(mode);
      const bytes = g.n * g.cin * g.h * g.w;
      const input = Int8Array.from({ length: bytes }, (_, i) => ((i * 37) % 256) - 128);
      const weight = Int8Array.from(
        { length: g.cout * g.cin * g.kh * g.kw },
        (_, i) => ((i * 11) % 256) - 128,
      );
      const scale = new Float32Array(g.cout).fill(1 / 64);
      const words = BigInt64Array.from(scale, (s) =>
        BigInt(new Uint32Array(Float32Array.of(s).buffer)[0]!),
      );
      const rt = await WasmRuntime.create({ numThreads: 1 });
      try {
        const packed = rt.packQuantConv2dWeights(g, weight);
        const s = rt.upload(scale);
        const outLen = g.n * g.cout * g.hOut * g.wOut;
        const o = rt.alloc(outLen * 2);
        rt.quantConv2d(g, rt.upload(input), packed, 0, s, o); // sizes the call's own buffers
        const x = pointerAtEnd(rt, bytes);
        rt.write(x, input);
        const end = rt.memory.buffer.byteLength;
        expect(x + bytes).toBe(end);
        rt.quantConv2d(g, x, packed, 0, s, o);
        expect(rt.memory.buffer.byteLength).toBe(end); // the call did not grow the memory
        const want = referenceQuantConv2d(g, input, weight, null, words);
        expect(firstMismatch(rt.view(Uint16Array, o, outLen).slice(), want)).toBe(-1);
      } finally {
        rt.dispose();
      }
    });
  }
});
