import { describe, expect, it } from "vitest";
import {
  fractalZIndex,
  fractalZShape,
  fractalZToOihw,
  nc1hwc0Shape,
  nc1hwc0ToNchwFloat16,
  nc1hwc0ToNchwInt8,
  nchwToNc1hwc0Float16,
  nchwToNc1hwc0Int8,
  oihwToFractalZ,
} from "../../src/sim/index.js";
import { randInt, randomInt8, rng } from "./helpers.js";

describe("NC1HWC0 (int8, C0 = 32)", () => {
  it("places X[n][c][h][w] at x5[n][c/32][h][w][c%32] and zero-fills the padding lanes", () => {
    const [n, c, h, w] = [2, 35, 3, 4];
    const x = randomInt8(rng(1), n * c * h * w);
    const x5 = nchwToNc1hwc0Int8(x, n, c, h, w);
    const [, c1, , , c0] = nc1hwc0Shape(n, c, h, w, 32);
    expect(c1).toBe(2);
    expect(x5.length).toBe(n * c1 * h * w * c0);
    for (let b = 0; b < n; b++)
      for (let ch = 0; ch < c1 * 32; ch++)
        for (let i = 0; i < h; i++)
          for (let j = 0; j < w; j++) {
            const v = x5[(((b * c1 + (ch >> 5)) * h + i) * w + j) * 32 + (ch & 31)];
            expect(v).toBe(ch < c ? x[((b * c + ch) * h + i) * w + j] : 0);
          }
  });

  it("round-trips random shapes", () => {
    const r = rng(2);
    for (let t = 0; t < 50; t++) {
      const [n, c, h, w] = [
        randInt(r, 1, 3),
        randInt(r, 1, 70),
        randInt(r, 1, 9),
        randInt(r, 1, 9),
      ];
      const x = randomInt8(r, n * c * h * w);
      expect(nc1hwc0ToNchwInt8(nchwToNc1hwc0Int8(x, n, c, h, w), n, c, h, w)).toEqual(x);
    }
  });
});

describe("NC1HWC0 (float16, C0 = 16)", () => {
  it("round-trips and puts channel c at lane c % 16", () => {
    const r = rng(3);
    for (let t = 0; t < 50; t++) {
      const [n, c, h, w] = [
        randInt(r, 1, 3),
        randInt(r, 1, 40),
        randInt(r, 1, 7),
        randInt(r, 1, 7),
      ];
      const y = Uint16Array.from({ length: n * c * h * w }, () => randInt(r, 0, 0xffff));
      const y5 = nchwToNc1hwc0Float16(y, n, c, h, w);
      const c1 = Math.ceil(c / 16);
      expect(y5.length).toBe(n * c1 * h * w * 16);
      const ch = c - 1;
      expect(y5[((((n - 1) * c1 + (ch >> 4)) * h + (h - 1)) * w + (w - 1)) * 16 + (ch & 15)]).toBe(
        y[(((n - 1) * c + ch) * h + (h - 1)) * w + (w - 1)],
      );
      expect(nc1hwc0ToNchwFloat16(y5, n, c, h, w)).toEqual(y);
    }
  });
});

describe("FRACTAL_Z (C1*KH*KW, Cout1, 16, 32)", () => {
  it("has the spec's shape", () => {
    expect(fractalZShape(17, 33, 3, 2)).toEqual([2 * 3 * 2, 2, 16, 32]);
    expect(fractalZShape(16, 32, 1, 1)).toEqual([1, 1, 16, 32]);
  });

  it("index formula: wz[(c1*KH+kh)*KW+kw][co1][co0][c0] = W[co1*16+co0][c1*32+c0][kh][kw]", () => {
    const [cout, cin, KH, KW] = [20, 40, 3, 2];
    const [kb, cout1, co0n, c0n] = fractalZShape(cout, cin, KH, KW);
    const w = randomInt8(rng(4), cout * cin * KH * KW);
    const wz = oihwToFractalZ(w, cout, cin, KH, KW);
    expect(wz.length).toBe(kb * cout1 * co0n * c0n);
    let nonPad = 0;
    for (let c1 = 0; c1 < Math.ceil(cin / 32); c1++)
      for (let kh = 0; kh < KH; kh++)
        for (let kw = 0; kw < KW; kw++)
          for (let co1 = 0; co1 < cout1; co1++)
            for (let co0 = 0; co0 < 16; co0++)
              for (let c0 = 0; c0 < 32; c0++) {
                // The 4-D index written out as in npu-sim.md section 2, independently of fractalZIndex.
                const idx = ((((c1 * KH + kh) * KW + kw) * cout1 + co1) * 16 + co0) * 32 + c0;
                const co = co1 * 16 + co0;
                const ci = c1 * 32 + c0;
                const want = co < cout && ci < cin ? w[((co * cin + ci) * KH + kh) * KW + kw] : 0;
                expect(wz[idx]).toBe(want);
                if (co < cout && ci < cin) {
                  expect(fractalZIndex(cout, kh, kw, KH, KW, co, ci)).toBe(idx);
                  nonPad++;
                }
              }
    expect(nonPad).toBe(cout * cin * KH * KW);
  });

  it("a hand-placed element lands where the formula says", () => {
    // W[17][33][1][0] of a (20, 40, 3, 2) weight: c1=1, c0=1, co1=1, co0=1 -> block (1*3+1)*2+0 = 8.
    const [cout, cin, KH, KW] = [20, 40, 3, 2];
    const w = new Int8Array(cout * cin * KH * KW);
    w[((17 * cin + 33) * KH + 1) * KW + 0] = 99;
    const wz = oihwToFractalZ(w, cout, cin, KH, KW);
    expect(wz.indexOf(99)).toBe(((8 * 2 + 1) * 16 + 1) * 32 + 1);
  });

  it("round-trips random weights", () => {
    const r = rng(5);
    for (let t = 0; t < 40; t++) {
      const [cout, cin, KH, KW] = [
        randInt(r, 1, 40),
        randInt(r, 1, 70),
        randInt(r, 1, 4),
        randInt(r, 1, 4),
      ];
      const w = randomInt8(r, cout * cin * KH * KW);
      expect(fractalZToOihw(oihwToFractalZ(w, cout, cin, KH, KW), cout, cin, KH, KW)).toEqual(w);
    }
  });
});
