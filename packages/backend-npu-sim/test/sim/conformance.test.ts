// Every golden vector through the simulated products: A2/A3 bit-equal, 310P equal up to its
// float16 saturation, and refusing W_out == 1 with the product's reason.
import { describe, expect, it } from "vitest";
import { describeMismatch, quantConv2dCases, saturateFloat16 } from "@tsnpu/conformance";
import {
  checkQuantConv2dSupported,
  flattenProfiles,
  getSoc,
  prepareQuantConv2dWeight,
  simulateQuantConv2d,
  simulateQuantConv2dOihw,
} from "../../src/sim/index.js";
import { caseGeometry } from "./helpers.js";

const cases = quantConv2dCases();

function run(socName: string, c: (typeof cases)[number]) {
  const soc = getSoc(socName);
  const g = caseGeometry(c);
  const { weightFz } = prepareQuantConv2dWeight(soc, g, c.weight.data);
  const out = new Uint16Array(g.n * g.cout * g.hOut * g.wOut);
  const profile = simulateQuantConv2d(soc, g, c.input.data, weightFz, c.bias, c.scale, out);
  return { out, profile };
}

describe("conformance vectors", () => {
  it("are all there", () => {
    expect(cases.length).toBeGreaterThanOrEqual(28);
  });

  for (const socName of ["Ascend910B", "Ascend910_93"]) {
    describe(socName, () => {
      for (const c of cases) {
        it(`${c.name}: bit-equal`, () => {
          expect(checkQuantConv2dSupported(getSoc(socName), caseGeometry(c))).toBeNull();
          const { out, profile } = run(socName, c);
          expect(describeMismatch(out, c.expected.bits)).toBeNull();
          expect(profile.op).toBe("QuantConv2d");
          expect(profile.soc).toBe(socName);
        });
      }
    });
  }

  describe("Ascend310P", () => {
    for (const c of cases) {
      const g = caseGeometry(c);
      if (g.wOut === 1) {
        it(`${c.name}: refused, output W is 1`, () => {
          const soc = getSoc("Ascend310P");
          expect(checkQuantConv2dSupported(soc, g)?.rule).toBe("w-out-1");
          const out = new Uint16Array(g.n * g.cout * g.hOut * g.wOut);
          expect(() => run("Ascend310P", c)).toThrow(
            "not supported on the Atlas inference series (Ascend310P): output W must not be 1",
          );
          expect(out.every((v) => v === 0)).toBe(true);
        });
      } else {
        it(`${c.name}: equal up to float16 saturation`, () => {
          const { out } = run("Ascend310P", c);
          expect(describeMismatch(out, saturateFloat16(c.expected.bits))).toBeNull();
        });
      }
    }

    it("w_out_1 is among the refused cases", () => {
      const c = cases.find((k) => k.name === "w_out_1")!;
      expect(checkQuantConv2dSupported(getSoc("Ascend310P"), caseGeometry(c))?.message).toContain(
        "output W must not be 1",
      );
    });

    it("overflow saturates to +-65504 (0x7bff / 0xfbff) where A2/A3 give +-Inf", () => {
      const c = cases.find((k) => k.name === "fp16_overflow_to_inf")!;
      const a2 = run("Ascend910B", c).out;
      const p = run("Ascend310P", c).out;
      let pos = 0;
      let neg = 0;
      for (let i = 0; i < a2.length; i++) {
        if (a2[i] === 0x7c00) {
          expect(p[i]).toBe(0x7bff);
          pos++;
        } else if (a2[i] === 0xfc00) {
          expect(p[i]).toBe(0xfbff);
          neg++;
        } else {
          expect(p[i]).toBe(a2[i]);
        }
      }
      expect(pos + neg).toBeGreaterThan(0);
      expect(p.some((v) => v === 0x7bff || v === 0xfbff)).toBe(true);
    });
  });

  it("eager mode (OIHW weight) equals graph mode and lists the three TransData ops", () => {
    const c = cases.find((k) => k.name === "resnet_block_small")!;
    const soc = getSoc("Ascend910B");
    const g = caseGeometry(c);
    const out = new Uint16Array(g.n * g.cout * g.hOut * g.wOut);
    const p = simulateQuantConv2dOihw(soc, g, c.input.data, c.weight.data, c.bias, c.scale, out);
    expect(describeMismatch(out, c.expected.bits)).toBeNull();
    expect(flattenProfiles([p]).map((q) => q.name)).toEqual([
      "TransData(OIHW->FRACTAL_Z)",
      "TransData(NCHW->NC1HWC0)",
      "QuantConv2d",
      "TransData(NC1HWC0->NCHW)",
    ]);
  });
});
