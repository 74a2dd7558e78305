// Seeded property test for MODE_WINOGRAD (3x3, stride 1, dilation 1, integer Winograd
// F(2x2, 3x3)): random geometries that land on it (odd H/W, padding 0..3, Cin/Cout not
// multiples of 8/16, offset_x extremes, int8 extremes, no/huge bias, tiny/huge scales) against
// the spec-literal reference, on 1 and 2 threads, plus the largest-accumulator case.
import { describe, expect, it } from "vitest";
import { draws, seededRandom } from "@tsnpu/conformance";
import { float32Bits } from "@tsnpu/tensor";
import { layoutQuantConv2d, MODE_WINOGRAD } from "../src/index.js";
import { describeBitExact, geometry, randomCaseData, type RandomCase } from "./helpers.js";

function makeCases(count: number, seed: number): RandomCase[] {
  const rnd = seededRandom(seed);
  const { int, pick } = draws(rnd);
  const out: RandomCase[] = [];
  while (out.length < count) {
    const cin = pick([16, 17, 19, 23, 24, 31, 33, int(16, 70)]);
    const cout = pick([5, 7, 9, 15, 16, 17, 31, 33, int(5, 50)]);
    const pad: [number, number] = [int(0, 3), int(0, 3)];
    const n = pick([1, 1, 2, 3]);
    const h = int(1, 13),
      w = int(1, 15);
    const offsetX = pick([-128, 127, 0, int(-128, 127)]);
    const g = geometry([n, cin, h, w], [cout, cin, 3, 3], [1, 1], pad, [1, 1], offsetX);
    if (g.hOut <= 0 || g.wOut <= 0 || g.n * g.cout * g.hOut * g.wOut * cin * 9 > 6e6) continue;
    const extreme = rnd() < 0.25;
    out.push(
      randomCaseData(rnd, g, {
        extreme,
        scaleKinds: ["normal", "overflow", "subnormal", "raw"],
        offsetBits: false,
      }),
    );
  }
  return out;
}

const cases = makeCases(120, 4242);
// The largest Cin the mode accepts, every product +16384 (or -16256): |4 * acc| ~ 2^29.2,
// so a lost bit in Y' >> 2 or a wrap in the transforms shows.
{
  const cin = 1024;
  const g = geometry([1, cin, 3, 5], [6, cin, 3, 3], [1, 1], [1, 1], [1, 1], -128);
  const input = new Int8Array(cin * 15).fill(-128);
  const weight = Int8Array.from({ length: 6 * cin * 9 }, (_, i) => (i < 3 * cin * 9 ? -128 : 127));
  const words = BigInt64Array.from({ length: 6 }, () => BigInt(float32Bits(1e-9) >>> 0));
  cases.push({
    g,
    input,
    weight,
    bias: Int32Array.from([2147483647, -2147483648, 5, -5, 0, 1]),
    words,
  });
}

describe("Winograd F(2x2, 3x3) vs referenceQuantConv2d", () => {
  it("every case lands on the Winograd mode", () => {
    for (const c of cases) expect(layoutQuantConv2d(c.g, 2).fields[0]).toBe(MODE_WINOGRAD);
  });
  it("is chosen only for 3x3, stride 1, dilation 1, 16 <= Cin <= 1024, Cout > 4", () => {
    const mode = (cin: number, cout: number, k: number, s: number, d: number) =>
      layoutQuantConv2d(geometry([1, cin, 14, 14], [cout, cin, k, k], [s, s], [1, 1], [d, d], 0), 1)
        .fields[0];
    expect(mode(16, 16, 3, 1, 1)).toBe(MODE_WINOGRAD);
    expect(mode(1024, 8, 3, 1, 1)).toBe(MODE_WINOGRAD);
    expect(mode(15, 16, 3, 1, 1)).not.toBe(MODE_WINOGRAD);
    expect(mode(1025, 16, 3, 1, 1)).not.toBe(MODE_WINOGRAD);
    expect(mode(64, 4, 3, 1, 1)).not.toBe(MODE_WINOGRAD);
    expect(mode(64, 64, 3, 2, 1)).not.toBe(MODE_WINOGRAD);
    expect(mode(64, 64, 3, 1, 2)).not.toBe(MODE_WINOGRAD);
    expect(mode(64, 64, 5, 1, 1)).not.toBe(MODE_WINOGRAD);
  });
  describeBitExact(cases, [1, 2, 3, { threads: 2, spinMs: 0 }]);
});
