import { describe, expect, it } from "vitest";
import {
  DEFAULT_SOC,
  SOC_TABLE,
  convDims,
  flattenProfiles,
  formatProfileTable,
  getSoc,
  oihwToFractalZ,
  peakInt8Tops,
  planQuantConv2d,
  quantConv2dProfile,
  simulateQuantConv2d,
  socNames,
  withOverrides,
  type OpProfile,
  type SocSpec,
} from "../../src/sim/index.js";
import { geometry } from "./helpers.js";
import type { QuantConv2dGeometry } from "@tsnpu/tensor";

const modelled = (soc: SocSpec, g: QuantConv2dGeometry): OpProfile => {
  const plan = planQuantConv2d(soc, g);
  return quantConv2dProfile(soc, g, plan.split, plan.tiles, plan.parts);
};

describe("SoC table", () => {
  it("has the three products, Ascend910B (24 cores, 1.8 GHz) by default", () => {
    expect(socNames().sort()).toEqual(["Ascend310P", "Ascend910B", "Ascend910_93"]);
    expect(DEFAULT_SOC).toBe("Ascend910B");
    expect(getSoc().cubeCores.value).toBe(24);
    expect(getSoc().clockGHz.value).toBe(1.8);
    expect(() => getSoc("Ascend999")).toThrow(/Ascend910B/);
  });

  it("tags every constant", () => {
    for (const soc of Object.values(SOC_TABLE)) {
      for (const [key, v] of Object.entries(soc)) {
        if (key === "name" || key === "family") continue;
        expect(["doc", "est", "assume"], `${soc.name}.${key}`).toContain(
          (v as { tag: string }).tag,
        );
      }
    }
    expect(SOC_TABLE.Ascend310P.fp16Overflow).toMatchObject({ value: "saturate", tag: "doc" });
    expect(SOC_TABLE.Ascend310P.biasTableBytes.value).toBeNull();
    expect(SOC_TABLE.Ascend310P.clockGHz.tag).toBe("assume");
  });

  it("peak int8 TOPS = cores * clock * 16*32*16 * 2", () => {
    expect(peakInt8Tops(getSoc("Ascend910B"))).toBeCloseTo((24 * 1.8e9 * 8192 * 2) / 1e12, 6);
    expect(peakInt8Tops(getSoc("Ascend310P"))).toBeCloseTo((8 * 1e9 * 8192 * 2) / 1e12, 6);
  });
});

describe("cycle model", () => {
  const g = geometry(1, 64, 56, 56, 64, 3, 3, 1, 1, 1, 1);

  it("one core: cube = ceil(m/16) * ceil(k/32) * ceil(n/16)", () => {
    const one = withOverrides(getSoc("Ascend910B"), { cubeCores: { value: 1, tag: "assume" } });
    for (const shape of [g, geometry(2, 3, 20, 17, 33, 5, 3, 2, 1, 1, 2)]) {
      const p = modelled(one, shape);
      const d = convDims(shape);
      expect(p.split?.parts).toBe(1);
      expect(p.units.cube).toBe(
        shape.n * Math.ceil(d.m / 16) * Math.ceil(d.k / 32) * Math.ceil(shape.cout / 16),
      );
    }
  });

  it("cycles = max(units) + prologue, us = cycles / clock + launch, bound unit is the max", () => {
    for (const name of socNames()) {
      const soc = getSoc(name);
      const p = modelled(soc, g);
      const max = Math.max(p.units.cube!, p.units.mte1!, p.units.mte2!, p.units.fixpipe!);
      expect(p.units[p.boundBy]).toBe(max);
      expect(p.cycles).toBeCloseTo(max + soc.corePrologueCycles.value, 6);
      expect(p.microseconds).toBeCloseTo(
        p.cycles / (soc.clockGHz.value * 1e3) + soc.launchOverheadUs.value,
        6,
      );
      expect(p.achievedTops).toBeCloseTo((2 * p.macs) / (p.microseconds * 1e6), 6);
      expect(p.achievedTops).toBeLessThan(p.peakTops);
      expect(p.macs).toBe(56 * 56 * 64 * 64 * 9);
    }
  });

  it("bytes per level: output once, input and weights at least once", () => {
    const p = modelled(getSoc("Ascend910B"), g);
    expect(p.bytes!.l0cToGm).toBe(56 * 56 * 64 * 2);
    expect(p.bytes!.gmToL1).toBeGreaterThanOrEqual(56 * 56 * 64 + 64 * 64 * 9);
    expect(p.bytes!.l1ToL0a).toBeGreaterThanOrEqual(56 * 56 * 64 * 9);
    expect(p.bytes!.l1ToL0b).toBeGreaterThanOrEqual(64 * 64 * 9);
  });

  it("more work costs more; the 8-core 310P is slower than the 24-core 910B on a big shape", () => {
    const small = modelled(getSoc("Ascend910B"), geometry(1, 64, 28, 28, 64, 3, 3, 1, 1, 1, 1));
    const big = modelled(getSoc("Ascend910B"), g);
    expect(big.cycles).toBeGreaterThan(small.cycles);
    const stem = geometry(1, 3, 224, 224, 64, 7, 7, 2, 2, 3, 3);
    expect(modelled(getSoc("Ascend310P"), stem).microseconds).toBeGreaterThan(
      modelled(getSoc("Ascend910B"), stem).microseconds,
    );
  });

  it("a tiny kernel is dominated by the launch overhead", () => {
    const soc = getSoc("Ascend910_93");
    const p = modelled(soc, geometry(1, 1, 8, 8, 1, 3, 3));
    expect(p.microseconds - soc.launchOverheadUs.value).toBeLessThan(2);
  });
});

describe("profile output", () => {
  const soc = getSoc("Ascend910B");
  const g = geometry(1, 8, 10, 10, 20, 3, 3, 1, 1, 1, 1);
  const out = new Uint16Array(g.n * g.cout * g.hOut * g.wOut);
  const p = simulateQuantConv2d(
    soc,
    g,
    new Int8Array(800),
    oihwToFractalZ(new Int8Array(20 * 8 * 9), 20, 8, 3, 3),
    null,
    new BigInt64Array(20),
    out,
  );

  it("carries the split, tiles, TransData entries and tagged constants", () => {
    expect(p.split).not.toBeNull();
    expect(p.tiles).not.toBeNull();
    expect(p.transData.map((t) => [t.name, t.placement])).toEqual([
      ["TransData(NCHW->NC1HWC0)", "before"],
      ["TransData(NC1HWC0->NCHW)", "after"],
    ]);
    expect(p.constants.find((c) => c.name === "clockGHz")).toMatchObject({
      value: 1.8,
      tag: "est",
    });
    expect(p.constants.find((c) => c.name === "fixpipeBytesPerCycle")?.tag).toBe("assume");
    expect(JSON.parse(JSON.stringify(p))).toEqual(p);
  });

  it("prints a table with every op in order and the tags of the constants", () => {
    const text = formatProfileTable([p]);
    const lines = text.split("\n");
    expect(lines[0]).toMatch(
      /^layer\s+op\s+unit\s+soc\s+us\s+cycles\s+bound\s+cores\s+bytes in\s+bytes out/,
    );
    expect(text).toMatch(/Ascend910B total: 3 row\(s\), [\d.]+ us .*Cube [\d.]+ us \([\d.]+%\)/);
    expect(flattenProfiles([p]).map((q) => q.name)).toEqual([
      "TransData(NCHW->NC1HWC0)",
      "QuantConv2d",
      "TransData(NC1HWC0->NCHW)",
    ]);
    expect(lines[2]).toContain("TransData(NCHW->NC1HWC0)");
    expect(lines[3]).toContain("QuantConv2d");
    expect(lines[4]).toContain("TransData(NC1HWC0->NCHW)");
    expect(text).toContain("Ascend910B constants:");
    expect(text).toContain("clockGHz=1.8 [est]");
    expect(text).toContain("l1Bytes=524288 [doc]");
    expect(text).toContain("[assume]");
  });
});
