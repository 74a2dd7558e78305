// The raw WasmRuntime (no tensors, no dispatcher) on every golden vector of
// tooling/conformance/vectors/quant_conv2d, bit for bit, on 1 and 2 threads. The shared suite
// through the "wasm" device is suite-*-thread.test.ts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { quantConv2dCases } from "@tsnpu/conformance";
import { decodeQuantScales } from "@tsnpu/tensor";
import { WasmRuntime } from "../src/index.js";
import { firstMismatch, geometry, runOnce } from "./helpers.js";

const cases = quantConv2dCases();

for (const threads of [1, 2]) {
  describe(`golden vectors, ${threads} thread(s)`, () => {
    let rt: WasmRuntime;
    // minParallelMacs 0: even tiny cases go through the workers.
    beforeAll(async () => {
      rt = await WasmRuntime.create({ numThreads: threads, minParallelMacs: 0 });
    });
    afterAll(() => rt.dispose());

    it("has the cases", () => expect(cases.length).toBeGreaterThan(20));
    it.each(cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
      expect(rt.numThreads).toBe(threads);
      const g = geometry(c.input.shape, c.weight.shape, c.stride, c.padding, c.dilation, c.offsetX);
      expect([g.n, g.cout, g.hOut, g.wOut]).toEqual(c.expected.shape);
      const got = runOnce(rt, g, c.input.data, c.weight.data, c.bias, decodeQuantScales(c.scale));
      const bad = firstMismatch(got, c.expected.bits);
      expect(
        bad,
        bad < 0
          ? ""
          : `element ${bad}: got ${got[bad]?.toString(16)} want ${c.expected.bits[bad]?.toString(16)}`,
      ).toBe(-1);
    });
  });
}
