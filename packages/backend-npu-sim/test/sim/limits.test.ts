import { describe, expect, it } from "vitest";
import {
  assertQuantConv2dSupported,
  checkQuantConv2dSupported,
  dynamicShapeRefusal,
  getSoc,
  minL1FootprintBytes,
  socNames,
} from "../../src/sim/index.js";
import { geometry } from "./helpers.js";

const b910 = getSoc("Ascend910B");
const a3 = getSoc("Ascend910_93");
const p310 = getSoc("Ascend310P");

describe("checkQuantConv2dSupported", () => {
  it("accepts ordinary shapes on every product", () => {
    for (const n of socNames())
      expect(
        checkQuantConv2dSupported(getSoc(n), geometry(1, 64, 56, 56, 64, 3, 3, 1, 1, 1, 1)),
      ).toBeNull();
  });

  it("Load3D field range: stride > 63, dilation > 255, pad > 255, kernel > 255 (310P) / > 511 (A2/A3)", () => {
    const cases: [ReturnType<typeof geometry>, string][] = [
      [geometry(1, 1, 200, 200, 1, 1, 1, 64, 1), "stride"],
      [geometry(1, 1, 600, 8, 1, 2, 1, 1, 1, 0, 0, 256, 1), "dilation"],
      [geometry(1, 1, 8, 8, 1, 1, 1, 1, 1, 0, 256), "padding"],
    ];
    for (const soc of [b910, a3, p310]) {
      for (const [g, field] of cases) {
        const r = checkQuantConv2dSupported(soc, g)!;
        expect(r.rule).toBe("load3d-field-range");
        expect(r.message).toContain("shape not supported by the load unit (Load3D field range)");
        expect(r.message).toContain(soc.name);
        expect(r.message).toContain(field);
      }
    }
    // Kernel 300 x 1: over 310P's 255, within A2/A3's 511.
    const g = geometry(1, 1, 300, 8, 1, 300, 1);
    expect(checkQuantConv2dSupported(p310, g)?.rule).toBe("load3d-field-range");
    expect(checkQuantConv2dSupported(p310, g)?.message).toContain("kernel");
    expect(checkQuantConv2dSupported(b910, g)).toBeNull();
    expect(checkQuantConv2dSupported(b910, geometry(1, 1, 520, 8, 1, 512, 1))?.rule).toBe(
      "load3d-field-range",
    );
  });

  it("A2/A3 Load3D K extension: 32*kh*kw > 65535 for the smallest K tile; not a 310P rule", () => {
    const g = geometry(1, 1, 50, 50, 1, 46, 45); // 32*46*45 = 66240
    for (const soc of [b910, a3]) {
      const r = checkQuantConv2dSupported(soc, g)!;
      expect(r.rule).toBe("load3d-k-extension");
      expect(r.message).toContain(soc.name);
      expect(r.message).toContain("66240");
    }
    expect(checkQuantConv2dSupported(p310, g)).toBeNull();
    expect(checkQuantConv2dSupported(b910, geometry(1, 1, 50, 50, 1, 45, 45))).toBeNull(); // 64800
  });

  it("minimum L1 footprint: ((rows-1)*sh + (kh-1)*dh + 1) * W_in * 32 > L1, rows = floor(16/Wo)+2", () => {
    // Wo = W-2 >= 16 -> rows = 2 -> (1 + 2 + 1) * W * 32 bytes.
    const fits = geometry(1, 1, 8, 4096, 1, 3, 3); // 4*4096*32 = 524288 = L1 exactly
    const over = geometry(1, 1, 8, 4097, 1, 3, 3);
    expect(minL1FootprintBytes(fits)).toBe(512 * 1024);
    expect(checkQuantConv2dSupported(b910, fits)).toBeNull();
    const r = checkQuantConv2dSupported(b910, over)!;
    expect(r.rule).toBe("l1-min-footprint");
    expect(r.message).toContain("Ascend910B");
    expect(checkQuantConv2dSupported(p310, over)).toBeNull(); // 1 MB of L1
    // Narrow outputs need more rows: Wo = 1 -> rows = 18.
    const narrow = geometry(1, 1, 100, 300, 1, 3, 255, 20, 63);
    expect(narrow.wOut).toBe(1);
    expect(minL1FootprintBytes(narrow)).toBe((17 * 20 + 2 + 1) * 300 * 32);
    expect(checkQuantConv2dSupported(b910, narrow)?.rule).toBe("l1-min-footprint");
  });

  it("310P: output W of 1 is refused with the product's reason; A2/A3 accept it", () => {
    const g = geometry(1, 4, 6, 3, 4, 3, 3);
    expect(g.wOut).toBe(1);
    const r = checkQuantConv2dSupported(p310, g)!;
    expect(r.rule).toBe("w-out-1");
    expect(r.message).toContain(
      "not supported on the Atlas inference series (Ascend310P): output W must not be 1",
    );
    expect(checkQuantConv2dSupported(b910, g)).toBeNull();
    expect(checkQuantConv2dSupported(a3, g)).toBeNull();
  });

  it("zero-sized tensors", () => {
    for (const soc of [b910, p310]) {
      const r = checkQuantConv2dSupported(soc, geometry(0, 4, 6, 6, 4, 3, 3))!;
      expect(r.rule).toBe("zero-sized");
      expect(r.message).toContain("input N is 0");
      expect(checkQuantConv2dSupported(soc, geometry(1, 4, 6, 6, 0, 3, 3))?.rule).toBe(
        "zero-sized",
      );
      expect(checkQuantConv2dSupported(soc, geometry(1, 0, 6, 6, 4, 3, 3))?.rule).toBe(
        "zero-sized",
      );
    }
  });

  it("reports the first broken rule in spec order", () => {
    // Field range beats K extension beats L1 footprint beats W==1 beats zero size.
    const all = geometry(0, 1, 600, 5000, 1, 300, 300, 64, 64, 0, 0, 1, 1);
    expect(checkQuantConv2dSupported(b910, all)?.rule).toBe("load3d-field-range");
    expect(checkQuantConv2dSupported(p310, all)?.rule).toBe("load3d-field-range");
    // K extension (46x45 kernel) and L1 footprint (W = 20000) together.
    const kAndL1 = geometry(1, 1, 50, 20000, 1, 46, 45);
    expect(checkQuantConv2dSupported(b910, kAndL1)?.rule).toBe("load3d-k-extension");
    expect(checkQuantConv2dSupported(p310, kAndL1)?.rule).toBe("l1-min-footprint");
    // L1 footprint and W_out == 1 together (310P): footprint first.
    const l1AndW1 = geometry(1, 1, 100, 300, 1, 3, 255, 20, 63);
    expect(l1AndW1.wOut).toBe(1);
    expect(checkQuantConv2dSupported(p310, l1AndW1)?.rule).toBe("l1-min-footprint");
    // W_out == 1 and zero size together (310P): W == 1 first; A2/A3 report the zero size.
    const w1AndZero = geometry(0, 4, 6, 3, 4, 3, 3);
    expect(checkQuantConv2dSupported(p310, w1AndZero)?.rule).toBe("w-out-1");
    expect(checkQuantConv2dSupported(b910, w1AndZero)?.rule).toBe("zero-sized");
  });

  it("assertQuantConv2dSupported throws with the refusal attached", () => {
    const g = geometry(1, 4, 6, 3, 4, 3, 3);
    expect(() => assertQuantConv2dSupported(p310, g)).toThrow(/output W must not be 1/);
    try {
      assertQuantConv2dSupported(p310, g);
    } catch (e) {
      expect((e as { refusal: { rule: string } }).refusal.rule).toBe("w-out-1");
    }
    expect(() => assertQuantConv2dSupported(b910, g)).not.toThrow();
  });

  it("dynamic shapes: graph mode's refusal names the product and the rule", () => {
    const r = dynamicShapeRefusal(a3);
    expect(r.rule).toBe("dynamic-shape");
    expect(r.message).toContain("Ascend910_93");
    expect(r.message).toContain("static graph mode");
  });
});
