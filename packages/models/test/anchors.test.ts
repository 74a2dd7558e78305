import { describe, expect, it } from "vitest";
import {
  BLAZEFACE_BACK_ANCHORS,
  BLAZEFACE_FRONT_ANCHORS,
  type SsdAnchorOptions,
  ssdAnchors,
} from "../src/index.js";

describe("ssdAnchors", () => {
  it("front 128: 896 anchors, 16x16x2 then 8x8x6, centres on the cell centres", () => {
    const a = ssdAnchors(BLAZEFACE_FRONT_ANCHORS);
    expect(a.length).toBe(896);
    expect(a[0]).toEqual({ xCenter: 0.5 / 16, yCenter: 0.5 / 16, width: 1, height: 1 });
    expect(a[1]).toEqual(a[0]);
    // row 0, column 1 of the 16x16 grid
    expect(a[2]!.xCenter).toBeCloseTo(1.5 / 16, 12);
    // anchor 2 * 16 * 16 = 512 starts the 8x8 grid, 6 per cell
    expect(a[512]).toEqual({ xCenter: 0.5 / 8, yCenter: 0.5 / 8, width: 1, height: 1 });
    expect(a[517]).toEqual(a[512]);
    expect(a[518]!.xCenter).toBeCloseTo(1.5 / 8, 12);
    expect(a[895]).toEqual({ xCenter: 7.5 / 8, yCenter: 7.5 / 8, width: 1, height: 1 });
  });

  it("back 256: the same 896-row layout (strides 16 and 32 on 256)", () => {
    const a = ssdAnchors(BLAZEFACE_BACK_ANCHORS);
    expect(a.length).toBe(896);
    expect(a.map((x) => [x.xCenter, x.yCenter])).toEqual(
      ssdAnchors(BLAZEFACE_FRONT_ANCHORS).map((x) => [x.xCenter, x.yCenter]),
    );
  });

  it("without fixed_anchor_size: scale per layer and the interpolated anchor (the calculator's formula)", () => {
    const o: SsdAnchorOptions = { ...BLAZEFACE_FRONT_ANCHORS, fixedAnchorSize: false };
    const a = ssdAnchors(o);
    // layer 0: scale 0.1484375, then sqrt(0.1484375 * scale(layer 1))
    const s1 = 0.1484375 + (0.75 - 0.1484375) / 3;
    expect(a[0]!.width).toBeCloseTo(0.1484375, 12);
    expect(a[1]!.width).toBeCloseTo(Math.sqrt(0.1484375 * s1), 12);
    // last interpolated anchor of the merged layers uses scale 1.0 as "next"
    expect(a[517]!.height).toBeCloseTo(Math.sqrt(0.75), 12);
  });
});
