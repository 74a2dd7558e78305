// MODE_POINTWISE (assembly/pointwise.ts): random 1x1 / stride 1 / no-padding geometries (channel
// counts around the tile's 4 and the pair's 2, pixel counts around the group's 8 and the block
// size, batch > 1, offset_x at its extremes although no cell is padded, every bias and scale
// kind) against the spec-literal reference on 1, 2 and 3 threads.
import { describe, expect, it } from "vitest";
import { referenceQuantConv2d, seededRandom } from "@tsnpu/conformance";
import { decodeQuantScales } from "@tsnpu/tensor";
import { MODE_POINTWISE } from "../src/index.js";
import { WasmRuntime } from "../src/runtime/index.js";
import {
  describeModeCases,
  randomCases,
  firstMismatch,
  geometry,
  randomCaseData,
  type RandomCase,
} from "./helpers.js";

function makeCases(count: number, seed: number): RandomCase[] {
  return randomCases(count, seed, ({ int, pick }) => {
    const cin = pick([1, 2, 3, 4, 5, 7, 8, 24, 33, 96, 160, int(1, 130)]);
    const cout = pick([1, 2, 3, 4, 5, 6, 7, 9, 24, 28, 96, int(1, 100)]);
    const [h, w] = pick([
      [1, 1],
      [1, 7],
      [2, 4],
      [3, 3],
      [8, 8],
      [9, 13],
      [16, 16],
      [int(1, 40), int(1, 40)],
    ] as [number, number][]);
    const n = pick([1, 1, 2, 3]);
    const offsetX = pick([-128, 127, 0, int(-128, 127)]);
    const g = geometry([n, cin, h, w], [cout, cin, 1, 1], [1, 1], [0, 0], [1, 1], offsetX);
    if (g.n * g.cout * g.hOut * g.wOut * cin > 4e6) return null;
    return g;
  });
}

describeModeCases(
  "1x1 convs vs referenceQuantConv2d",
  "MODE_POINTWISE",
  MODE_POINTWISE,
  makeCases(150, 20261202),
  [1, 2, 3],
);

describe("one packed 1x1 conv called on 2, 1, then 2 threads", () => {
  // The split (pixel blocks, channel groups) follows each call's thread count; the scratch is
  // sized for the largest block, the one-thread split's. A block that outgrew it would
  // overwrite the next thread's pairs.
  it("keeps the reference's bits on every call", async () => {
    const rt = await WasmRuntime.create({ numThreads: 2, minParallelMacs: 0 });
    try {
      const rnd = seededRandom(20261203);
      for (const [cin, cout, hw] of [
        [24, 24, 64],
        [48, 48, 32],
        [96, 96, 16],
        [96, 96, 8],
      ] as const) {
        const g = geometry([1, cin, hw, hw], [cout, cin, 1, 1], [1, 1], [0, 0], [1, 1], 0);
        const c = randomCaseData(rnd, g, {
          extreme: false,
          scaleKinds: ["normal"],
          offsetBits: false,
        });
        const want = referenceQuantConv2d(c.g, c.input, c.weight, c.bias, c.words);
        const packed = rt.packQuantConv2dWeights(g, c.weight);
        const x = rt.upload(c.input);
        const b = c.bias ? rt.upload(c.bias) : 0;
        const s = rt.upload(decodeQuantScales(c.words));
        const n = g.cout * g.hOut * g.wOut;
        const o = rt.alloc(n * 2);
        for (const threads of [2, 1, 2]) {
          rt.setThreadsPerCall(threads);
          rt.view(Uint16Array, o, n).fill(0xffff);
          rt.quantConv2d(g, x, packed, b, s, o);
          const got = rt.view(Uint16Array, o, n).slice();
          expect(firstMismatch(got, want), `${cin}->${cout} ${hw}x${hw} ${threads}t`).toBe(-1);
        }
        for (const p of [x, s, o]) rt.free(p);
        if (b) rt.free(b);
        rt.freePacked(packed);
      }
    } finally {
      rt.dispose();
    }
  });
});
