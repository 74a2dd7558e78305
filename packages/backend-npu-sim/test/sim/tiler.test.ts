import { describe, expect, it } from "vitest";
import {
  checkQuantConv2dSupported,
  chooseL0Tiles,
  convDims,
  coreParts,
  getSoc,
  planQuantConv2d,
  socNames,
  splitRange,
  tileFits,
  tileLimits,
  type QuantConv2dPlan,
} from "../../src/sim/index.js";
import { geometry, randInt, rng } from "./helpers.js";

function randomGeometry(r: () => number) {
  for (;;) {
    const k = randInt(r, 1, 7);
    const s = randInt(r, 1, 3);
    const g = geometry(
      randInt(r, 1, 8),
      randInt(r, 1, 600),
      randInt(r, 1, 80),
      randInt(r, 1, 80),
      randInt(r, 1, 600),
      k,
      randInt(r, 1, 7),
      s,
      randInt(r, 1, 3),
      randInt(r, 0, 3),
      randInt(r, 0, 3),
      randInt(r, 1, 2),
      1,
    );
    if (g.hOut > 0 && g.wOut > 0) return g;
  }
}

/** Every (batch, m block, cout block) cell is owned by exactly one part. */
function expectExactCover(plan: QuantConv2dPlan): void {
  const { g, dims } = plan;
  const owner = new Uint8Array(g.n * dims.mBlocks * dims.coutBlocks);
  for (const p of plan.parts)
    for (let n = p.n0; n < p.n1; n++)
      for (let m = p.mb0; m < p.mb1; m++)
        for (let c = p.cb0; c < p.cb1; c++) owner[(n * dims.mBlocks + m) * dims.coutBlocks + c]!++;
  expect(owner.every((v) => v === 1)).toBe(true);
}

describe("tileFits", () => {
  const soc = getSoc("Ascend910B");
  it("accepts the minimal fractal and rejects each broken limit", () => {
    expect(tileFits(soc, { mL0: 16, kL0: 32, nL0: 16 }, true)).toBe(true);
    expect(tileFits(soc, { mL0: 1024, kL0: 64, nL0: 16 }, true)).toBe(false); // L0A: 64 KB > 32 KB
    expect(tileFits(soc, { mL0: 16, kL0: 2048, nL0: 32 }, true)).toBe(false); // L0B: 64 KB > 32 KB
    expect(tileFits(soc, { mL0: 512, kL0: 32, nL0: 64 }, true)).toBe(false); // L0C: 128 KB > 64 KB
    expect(tileFits(soc, { mL0: 16, kL0: 4096, nL0: 16 }, true)).toBe(false); // kL0 < 4096
    expect(tileFits(soc, { mL0: 16, kL0: 32, nL0: 272 }, true)).toBe(false); // BiasTable 1 KB = 256 int32
    expect(tileFits(soc, { mL0: 16, kL0: 32, nL0: 272 }, false)).toBe(true);
    expect(tileFits(soc, { mL0: 24, kL0: 32, nL0: 16 }, true)).toBe(false); // not whole fractals
    // 310P has no BiasTable: only L0 sizes bound nL0.
    expect(tileLimits(getSoc("Ascend310P"), true).maxN).toBe(Infinity);
  });
});

describe("splitRange", () => {
  it("splits evenly, larger parts first, covering the range", () => {
    expect([0, 1, 2].map((i) => splitRange(10, 3, i))).toEqual([
      [0, 4],
      [4, 7],
      [7, 10],
    ]);
    expect(splitRange(5, 5, 4)).toEqual([4, 5]);
  });
});

describe("planQuantConv2d", () => {
  for (const name of socNames()) {
    it(`on ${name}: every tile fits, at most ${getSoc(name).cubeCores.value} parts, exact cover (300 random shapes)`, () => {
      const soc = getSoc(name);
      const r = rng(100 + name.length);
      let planned = 0;
      for (let t = 0; t < 300; t++) {
        const g = randomGeometry(r);
        if (checkQuantConv2dSupported(soc, g)) continue;
        const hasBias = r() < 0.5;
        const plan = planQuantConv2d(soc, g, hasBias);
        planned++;
        expect(tileFits(soc, plan.tiles, hasBias), JSON.stringify({ g, tiles: plan.tiles })).toBe(
          true,
        );
        // The same limits written out against the SoC table (npu-sim.md section 3.5), double buffered.
        const { mL0, kL0, nL0 } = plan.tiles;
        expect(mL0 * kL0).toBeLessThanOrEqual(soc.l0aBytes.value / 2);
        expect(kL0 * nL0).toBeLessThanOrEqual(soc.l0bBytes.value / 2);
        expect(mL0 * nL0 * 4).toBeLessThanOrEqual(soc.l0cBytes.value / 2);
        expect(kL0).toBeLessThan(4096);
        if (hasBias && soc.biasTableBytes.value !== null)
          expect(nL0 * 4).toBeLessThanOrEqual(soc.biasTableBytes.value);
        expect([mL0 % 16, kL0 % 32, nL0 % 16]).toEqual([0, 0, 0]);
        expect(plan.tiles.kL0).toBeLessThanOrEqual(plan.dims.k);
        expect(plan.split.parts).toBe(plan.split.batch * plan.split.cout * plan.split.m);
        expect(plan.split.parts).toBeLessThanOrEqual(soc.cubeCores.value);
        expect(plan.parts.length).toBe(plan.split.parts);
        expect(plan.parts.every((p) => p.n1 > p.n0 && p.mb1 > p.mb0 && p.cb1 > p.cb0)).toBe(true);
        expectExactCover(plan);
      }
      expect(planned).toBeGreaterThan(250);
    });
  }

  it("keeps the split with the lowest modelled time (checked by brute force)", () => {
    const soc = getSoc("Ascend910B");
    const shapes = [
      geometry(1, 64, 56, 56, 64, 3, 3, 1, 1, 1, 1),
      geometry(1, 512, 7, 7, 512, 1, 1),
      geometry(8, 32, 32, 32, 32, 3, 3, 1, 1, 1, 1),
    ];
    for (const g of shapes) {
      const plan = planQuantConv2d(soc, g);
      const d = convDims(g);
      const best = chooseL0Tiles(soc, g, d, plan.parts[0]!, true).cycles;
      for (let b = 1; b <= g.n; b++)
        for (let c = 1; c <= d.coutBlocks; c++)
          for (let m = 1; m <= d.mBlocks && b * c * m <= soc.cubeCores.value; m++) {
            const parts = coreParts(g, d, { batch: b, cout: c, m, parts: b * c * m });
            expect(chooseL0Tiles(soc, g, d, parts[0]!, true).cycles).toBeGreaterThanOrEqual(best);
          }
    }
  });

  it("uses more than one core when the work allows", () => {
    const plan = planQuantConv2d(
      getSoc("Ascend910B"),
      geometry(1, 64, 56, 56, 64, 3, 3, 1, 1, 1, 1),
    );
    expect(plan.split.parts).toBeGreaterThan(1);
  });
});
