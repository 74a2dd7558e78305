// The built package (dist/ + wasm/*.wasm) works too, not only the TypeScript sources:
// workers and the .wasm are located the same way from dist/runtime/.
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { referenceQuantConv2d } from "@tsnpu/conformance";
import { decodeQuantScales } from "@tsnpu/tensor";
import { geometry, runOnce } from "./helpers.js";

const dist = new URL("../dist/index.js", import.meta.url);

describe.skipIf(!existsSync(dist))("built dist", () => {
  it("runs QuantConv2d on 2 threads", async () => {
    const { WasmRuntime } = (await import(dist.href)) as typeof import("../src/index.js");
    const rt = await WasmRuntime.create({ numThreads: 2, minParallelMacs: 0 });
    try {
      const g = geometry([2, 16, 9, 9], [20, 16, 3, 3], [1, 1], [1, 1], [1, 1], 5);
      const input = Int8Array.from({ length: 2 * 16 * 81 }, (_, i) => ((i * 29) % 256) - 128);
      const weight = Int8Array.from({ length: 20 * 16 * 9 }, (_, i) => ((i * 53) % 256) - 128);
      const bias = Int32Array.from({ length: 20 }, (_, i) => i * 1000 - 9000);
      const words = BigInt64Array.from(
        { length: 20 },
        (_, i) => BigInt(0x38000000 + i * 0x100000) | (1n << 46n),
      );
      const got = runOnce(rt as never, g, input, weight, bias, decodeQuantScales(words));
      expect(got).toEqual(referenceQuantConv2d(g, input, weight, bias, words));
    } finally {
      rt.dispose();
    }
  });
});
