// MODE_STEM (assembly/stem.ts): random geometries with Cin 1..4 and stride_w 2 (kernel widths
// odd and even, so rows' last taps pair up or not, and an odd number of kernel rows leaves one
// alone; output widths around the 8-pixel group, tiny and odd inputs, any stride_h, dilation_h
// and padding, Cout around the tile's 4, batch > 1, offset_x at its extremes, every bias and
// scale kind) against the spec-literal reference on 1 and 2 threads. Geometries just outside
// the mode (stride_w 1, dilation_w 2, Cin 5) must not land on it.
import { describe, expect, it } from "vitest";
import { seededRandom } from "@tsnpu/conformance";
import { MODE_STEM, layoutQuantConv2d } from "../src/index.js";
import {
  describeBitExact,
  describeModeCases,
  randomCases,
  geometry,
  randomCaseData,
} from "./helpers.js";

const cases = randomCases(160, 20261202, ({ int, pick }) => {
  const cin = int(1, 4);
  const cout = pick([1, 3, 4, 5, 7, 8, 9, 24, int(1, 30)]);
  const kh = pick([1, 2, 3, 5, int(1, 7)]);
  const kw = pick([1, 2, 3, 4, 5, int(1, 7)]);
  const [h, w] = pick([
    [1, 1],
    [3, 2],
    [5, 5],
    [7, 16],
    [9, 17],
    [16, 33],
    [int(1, 40), int(1, 40)],
  ] as [number, number][]);
  const stride: [number, number] = [pick([1, 2, 2, 3]), 2];
  const pad: [number, number] = [pick([0, 0, 1, 2]), pick([0, 0, 1, 2, 3])];
  const dil: [number, number] = [pick([1, 1, 2]), 1];
  if (h + 2 * pad[0] < dil[0] * (kh - 1) + 1 || w + 2 * pad[1] < kw) return null;
  const n = pick([1, 1, 2]);
  const offsetX = pick([-128, 127, 0, int(-128, 127)]);
  return geometry([n, cin, h, w], [cout, cin, kh, kw], stride, pad, dil, offsetX);
});

describeModeCases(
  "Cin <= 4, stride_w 2 convs vs referenceQuantConv2d",
  "MODE_STEM",
  MODE_STEM,
  cases,
  [1, 2],
);

describe("BlazeFace's first conv (3 -> 24, 5x5, stride 2, pre-padded input)", () => {
  const rnd = seededRandom(20261204);
  const blaze = [35, 67].map((side) =>
    randomCaseData(rnd, geometry([1, 3, side, side], [24, 3, 5, 5], [2, 2], [0, 0], [1, 1], -7), {
      extreme: false,
      scaleKinds: ["normal"],
      offsetBits: false,
    }),
  );
  it("runs in MODE_STEM", () => {
    for (const c of blaze) expect(layoutQuantConv2d(c.g, 1).fields[0]).toBe(MODE_STEM);
  });
  describeBitExact(blaze, [1, 2]);
});

describe("geometries outside the stem mode", () => {
  it("stride_w 1, dilation_w 2 or Cin 5 take another mode", () => {
    for (const g of [
      geometry([1, 3, 16, 16], [8, 3, 3, 3], [2, 1], [1, 1], [1, 1], 0),
      geometry([1, 3, 16, 16], [8, 3, 3, 3], [2, 2], [1, 1], [1, 2], 0),
      geometry([1, 5, 16, 16], [8, 5, 3, 3], [2, 2], [1, 1], [1, 1], 0),
    ])
      expect(layoutQuantConv2d(g, 1).fields[0]).not.toBe(MODE_STEM);
  });
});
