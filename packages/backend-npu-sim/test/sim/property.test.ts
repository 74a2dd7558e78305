// Seeded random geometries against the spec-literal reference.
import { describe, expect, it } from "vitest";
import {
  describeMismatch,
  randomQuantProblem,
  referenceQuantConv2d,
  saturateFloat16,
  seededRandom,
} from "@tsnpu/conformance";
import {
  checkQuantConv2dSupported,
  coreParts,
  getSoc,
  oihwToFractalZ,
  planQuantConv2d,
  simulateQuantConv2d,
  type QuantConv2dPlan,
} from "../../src/sim/index.js";
import { geometry, randomInt8, rng } from "./helpers.js";
import type { QuantConv2dGeometry } from "@tsnpu/tensor";

function simulate(
  socName: string,
  g: QuantConv2dGeometry,
  input: Int8Array,
  weight: Int8Array,
  bias: Int32Array | null,
  scale: BigInt64Array,
  plan?: QuantConv2dPlan,
) {
  const out = new Uint16Array(g.n * g.cout * g.hOut * g.wOut);
  simulateQuantConv2d(
    getSoc(socName),
    g,
    input,
    oihwToFractalZ(weight, g.cout, g.cin, g.kh, g.kw),
    bias,
    scale,
    out,
    plan ? { plan } : {},
  );
  return out;
}

describe("property: simulator == referenceQuantConv2d", () => {
  it("Ascend910B, 150 random small geometries", () => {
    const random = seededRandom(2026);
    for (let t = 0; t < 150; t++) {
      const p = randomQuantProblem(random);
      expect(checkQuantConv2dSupported(getSoc("Ascend910B"), p.g)).toBeNull();
      const want = referenceQuantConv2d(p.g, p.input, p.weight, p.bias, p.scale);
      const got = simulate("Ascend910B", p.g, p.input, p.weight, p.bias, p.scale);
      expect(describeMismatch(got, want), `case ${t}: ${JSON.stringify(p.g)}`).toBeNull();
    }
  });

  it("Ascend310P, 60 random geometries: saturated reference, or the W == 1 refusal", () => {
    const random = seededRandom(310);
    for (let t = 0; t < 60; t++) {
      const p = randomQuantProblem(random);
      const refusal = checkQuantConv2dSupported(getSoc("Ascend310P"), p.g);
      if (p.g.wOut === 1) {
        expect(refusal?.rule).toBe("w-out-1");
        continue;
      }
      expect(refusal).toBeNull();
      const want = saturateFloat16(referenceQuantConv2d(p.g, p.input, p.weight, p.bias, p.scale));
      expect(
        describeMismatch(simulate("Ascend310P", p.g, p.input, p.weight, p.bias, p.scale), want),
      ).toBeNull();
    }
  });

  it("Cin a multiple of 32 (the word-copy Load3D), 30 geometries, offset_x extremes", () => {
    const random = seededRandom(32);
    for (let t = 0; t < 30; t++) {
      const base = randomQuantProblem(random);
      const cin = 32 * (1 + Math.floor(random() * 3));
      const g = { ...base.g, cin, offsetX: [-128, 127, -1, 5][t % 4]! };
      const r = rng(t);
      const input = randomInt8(r, g.n * cin * g.h * g.w);
      const weight = randomInt8(r, g.cout * cin * g.kh * g.kw);
      const want = referenceQuantConv2d(g, input, weight, base.bias, base.scale);
      expect(
        describeMismatch(simulate("Ascend910B", g, input, weight, base.bias, base.scale), want),
        `case ${t}`,
      ).toBeNull();
    }
  });

  it("the smallest tiles (16x32x16), so every m, k and n tile loop turns, on 40 geometries", () => {
    const random = seededRandom(16);
    const soc = getSoc("Ascend910B");
    for (let t = 0; t < 40; t++) {
      const p = randomQuantProblem(random);
      const plan = {
        ...planQuantConv2d(soc, p.g, p.bias !== null),
        tiles: { mL0: 16, kL0: 32, nL0: 16 },
      };
      const want = referenceQuantConv2d(p.g, p.input, p.weight, p.bias, p.scale);
      expect(
        describeMismatch(
          simulate("Ascend910B", p.g, p.input, p.weight, p.bias, p.scale, plan),
          want,
        ),
      ).toBeNull();
    }
  });

  it("long K (several k groups) with int8 extremes and a bias that wraps int32", () => {
    // Cin 300, 3x3: K = 2700 > 2048 packed values, so the k loop runs in more than one group.
    const g = geometry(1, 300, 6, 5, 20, 3, 3, 1, 1, 1, 0, 1, 1, -128);
    const r = rng(9);
    const input = new Int8Array(g.n * g.cin * g.h * g.w).fill(-128);
    const weight = randomInt8(r, g.cout * g.cin * g.kh * g.kw, -128, -127);
    const bias = Int32Array.from({ length: g.cout }, (_, i) =>
      i % 2 === 0 ? 2 ** 31 - 1 : -(2 ** 31),
    );
    const scale = BigInt64Array.from(
      { length: g.cout },
      (_, i) => BigInt(0x3a800000 + i * 0x1000) | (1n << 46n),
    );
    const want = referenceQuantConv2d(g, input, weight, bias, scale);
    expect(
      describeMismatch(simulate("Ascend910B", g, input, weight, bias, scale), want),
    ).toBeNull();
    const plan = {
      ...planQuantConv2d(getSoc("Ascend910B"), g),
      tiles: { mL0: 16, kL0: 64, nL0: 16 },
    };
    expect(
      describeMismatch(simulate("Ascend910B", g, input, weight, bias, scale, plan), want),
    ).toBeNull();
  });

  it("many cores: batch and Cout and M all split (Ascend910_93)", () => {
    const g = geometry(3, 40, 9, 11, 50, 3, 2, 2, 1, 2, 1, 1, 2, 7);
    const r = rng(11);
    const input = randomInt8(r, g.n * g.cin * g.h * g.w);
    const weight = randomInt8(r, g.cout * g.cin * g.kh * g.kw);
    const bias = Int32Array.from({ length: g.cout }, () => Math.floor(r() * 20000) - 10000);
    const scale = BigInt64Array.from({ length: g.cout }, () =>
      BigInt(0x38000000 + Math.floor(r() * 0x1000000)),
    );
    const soc = getSoc("Ascend910_93");
    const plan = planQuantConv2d(soc, g);
    const split = { batch: 3, cout: 2, m: 4, parts: 24 };
    const forced = { ...plan, split, parts: coreParts(g, plan.dims, split) };
    expect(forced.parts.length).toBe(24);
    const want = referenceQuantConv2d(g, input, weight, bias, scale);
    expect(
      describeMismatch(simulate("Ascend910_93", g, input, weight, bias, scale, forced), want),
    ).toBeNull();
    expect(
      describeMismatch(simulate("Ascend910_93", g, input, weight, bias, scale), want),
    ).toBeNull();
  });

  it("rejects buffers that do not match the geometry", () => {
    const g = geometry(1, 4, 5, 5, 3, 3, 3);
    const soc = getSoc("Ascend910B");
    const wz = new Int8Array(9 * 16 * 32);
    const ok = () =>
      simulateQuantConv2d(
        soc,
        g,
        new Int8Array(100),
        wz,
        null,
        new BigInt64Array(3),
        new Uint16Array(27),
      );
    expect(ok).not.toThrow();
    expect(() =>
      simulateQuantConv2d(
        soc,
        g,
        new Int8Array(99),
        wz,
        null,
        new BigInt64Array(3),
        new Uint16Array(27),
      ),
    ).toThrow(/input/);
    expect(() =>
      simulateQuantConv2d(
        soc,
        g,
        new Int8Array(100),
        new Int8Array(9 * 4 * 3),
        null,
        new BigInt64Array(3),
        new Uint16Array(27),
      ),
    ).toThrow(/FRACTAL_Z/);
    expect(() =>
      simulateQuantConv2d(
        soc,
        g,
        new Int8Array(100),
        wz,
        new Int32Array(2),
        new BigInt64Array(3),
        new Uint16Array(27),
      ),
    ).toThrow(/bias/);
  });
});
