// float16 <-> float32 bit conversions: rounding, subnormals, overflow, NaN.

import { describe, expect, it } from "vitest";
import {
  float16BitsToFloat32Bits,
  float16BitsToNumber,
  float32Bits,
  float32BitsToFloat16Bits,
  toFloat16Bits,
} from "../src/index.js";

describe("toFloat16Bits", () => {
  it.each([
    [0, 0x0000],
    [-0, 0x8000],
    [1, 0x3c00],
    [-2, 0xc000],
    [0.5, 0x3800],
    [65504, 0x7bff],
    [65519, 0x7bff], // below the rounding midpoint to infinity
    [65520, 0x7c00], // the midpoint rounds (to even) to infinity
    [Infinity, 0x7c00],
    [-Infinity, 0xfc00],
    [2 ** -14, 0x0400], // smallest normal
    [2 ** -24, 0x0001], // smallest subnormal
    [2 ** -25, 0x0000], // tie between 0 and 2^-24 goes to even (0)
    [3 * 2 ** -25, 0x0002], // tie between 1 and 2 subnormal units goes to 2
    [1 + 2 ** -11, 0x3c00], // tie: stays on the even 1.0
    [1 + 3 * 2 ** -11, 0x3c02], // tie: rounds up to the even mantissa
    [0.1, 0x2e66],
    [1 / 3, 0x3555],
  ])("%s -> %s", (x, bits) => {
    expect(toFloat16Bits(x)).toBe(bits);
  });

  it("keeps NaN a quiet NaN", () => {
    const h = toFloat16Bits(NaN);
    expect(h & 0x7c00).toBe(0x7c00);
    expect(h & 0x3ff).not.toBe(0);
    expect(Number.isNaN(float16BitsToNumber(h))).toBe(true);
  });

  it("rounds through float32 first (two roundings)", () => {
    // Just above the float16 midpoint 1 + 2^-11 in float64, but float32 rounds it onto the midpoint.
    expect(toFloat16Bits(1 + 2 ** -11 + 2 ** -40)).toBe(0x3c00);
    expect(float32BitsToFloat16Bits(float32Bits(1 + 2 ** -11 + 2 ** -20))).toBe(0x3c01);
  });
});

describe("float16BitsToNumber", () => {
  it.each([
    [0x3c00, 1],
    [0x0001, 2 ** -24],
    [0x03ff, 1023 * 2 ** -24],
    [0x7bff, 65504],
    [0xfc00, -Infinity],
    [0x3555, 0.333251953125],
  ])("%s -> %s", (bits, x) => {
    expect(float16BitsToNumber(bits)).toBe(x);
  });

  it("round-trips every finite float16 exactly", () => {
    for (let h = 0; h < 0x10000; h++) {
      if ((h & 0x7c00) === 0x7c00 && (h & 0x3ff) !== 0) continue; // NaN payloads
      expect(toFloat16Bits(float16BitsToNumber(h))).toBe(h);
    }
  });

  it("widens to the float32 bit pattern", () => {
    expect(float16BitsToFloat32Bits(0x3c00)).toBe(0x3f800000);
    expect(float16BitsToFloat32Bits(0x8000)).toBe(0x80000000);
    expect(float16BitsToFloat32Bits(0x0001)).toBe(float32Bits(2 ** -24));
  });
});
