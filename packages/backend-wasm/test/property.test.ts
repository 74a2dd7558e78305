// Seeded property test: random small geometries (odd and tiny channel counts, padding wider
// than the kernel, dilation, stride, offset_x at its extremes, no bias, scales that overflow
// float16 or land in its subnormals, raw scale words incl. inf/NaN) against the spec-literal
// reference, on 1, 2 and 3 threads, and on 2 threads that sleep at once (every call wakes the
// worker; the caller sleeps on the worker's last chunks). Every plan mode (plane, direct,
// im2col, stem) is drawn.
import { describe, expect, it } from "vitest";
import {
  MODE_DIRECT,
  MODE_IM2COL,
  MODE_PLANE,
  MODE_STEM,
  layoutQuantConv2d,
} from "../src/index.js";
import { describeBitExact, geometry, randomCases, type RandomCase } from "./helpers.js";

function makeCases(count: number, seed: number): RandomCase[] {
  return randomCases(count, seed, ({ int, pick }) => {
    const cin = pick([1, 2, 3, 4, 5, 7, 8, 15, 16, 17, 24, 33, int(1, 40)]);
    const cout = pick([1, 2, 3, 4, 5, 7, 8, 9, 12, 16, 17, int(1, 40)]);
    const kh = int(1, 5),
      kw = pick([1, 2, 3, 5, int(1, 7)]);
    const stride: [number, number] = [pick([1, 1, 2, 3]), pick([1, 1, 2, 3])];
    const dil: [number, number] = [pick([1, 1, 2, 3]), pick([1, 1, 2, 3])];
    const pad: [number, number] = [
      pick([0, 1, 2, kh + 1, int(0, 7)]),
      pick([0, 1, 2, kw + 2, int(0, 7)]),
    ];
    const n = pick([1, 1, 2, 3]);
    const h = int(1, 12),
      w = int(1, 14);
    const offsetX = pick([-128, 127, 0, int(-128, 127)]);
    const g = geometry([n, cin, h, w], [cout, cin, kh, kw], stride, pad, dil, offsetX);
    if (g.hOut <= 0 || g.wOut <= 0 || g.n * g.cout * g.hOut * g.wOut * cin * kh * kw > 4e6)
      return null;
    return g;
  });
}

const cases = makeCases(180, 20261127);
describe("random geometries vs referenceQuantConv2d", () => {
  it("draws every plan mode", () => {
    const modes = new Set(cases.map((c) => layoutQuantConv2d(c.g, 2).fields[0]));
    expect([...modes].sort()).toEqual([MODE_DIRECT, MODE_IM2COL, MODE_PLANE, MODE_STEM]);
  });
  describeBitExact(cases, [1, 2, 3, { threads: 2, spinMs: 0 }]);
});
