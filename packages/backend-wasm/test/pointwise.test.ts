// MODE_POINTWISE (assembly/pointwise.ts): random 1x1 / stride 1 / no-padding geometries (channel
// counts around the tile's 4 and the pair's 2, pixel counts around the group's 8 and the block
// size, batch > 1, offset_x at its extremes although no cell is padded, every bias and scale
// kind) against the spec-literal reference on 1, 2 and 3 threads.
import { describe, expect, it } from "vitest";
import { draws, seededRandom } from "@tsnpu/conformance";
import { MODE_POINTWISE, layoutQuantConv2d } from "../src/index.js";
import { describeBitExact, geometry, randomCaseData, type RandomCase } from "./helpers.js";

function makeCases(count: number, seed: number): RandomCase[] {
  const rnd = seededRandom(seed);
  const { int, pick } = draws(rnd);
  const out: RandomCase[] = [];
  while (out.length < count) {
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
    if (g.n * g.cout * g.hOut * g.wOut * cin > 4e6) continue;
    out.push(
      randomCaseData(rnd, g, {
        extreme: rnd() < 0.2,
        scaleKinds: ["normal", "overflow", "subnormal", "mixed", "raw"],
        offsetBits: true,
      }),
    );
  }
  return out;
}

const cases = makeCases(150, 20261202);
describe("1x1 convs vs referenceQuantConv2d", () => {
  it("run in MODE_POINTWISE", () => {
    for (const c of cases) expect(layoutQuantConv2d(c.g, 2).fields[0]).toBe(MODE_POINTWISE);
  });
  describeBitExact(cases, [1, 2, 3]);
});
