// The bulk float32 <-> float16 loops (the contiguous cast's fast path) against the
// one-element conversions, on every float16 and on float32 bits from every range: exact ties,
// subnormal results, overflow, infinities and NaNs with payloads.

import { describe, expect, it } from "vitest";
import {
  float16,
  float16BitsToFloat32Bits,
  float16BitsToNumber,
  float32,
  float32Bits,
  tensor,
  toFloat16Bits,
} from "../src/index.js";
import { float16BitsToFloat32Array, float32ArrayToFloat16Bits } from "../src/numerics/float16.js";

/** float32 bit patterns around every float16 rounding boundary and special value. */
function interestingFloat32Bits(): Uint32Array {
  const out: number[] = [];
  for (let h = 0; h < 0x10000; h += 7) {
    const b = float32Bits(float16BitsToNumber(h));
    // The value, its neighbours, and the points half a float16 step away (ties) and nearby.
    for (const d of [0, 1, -1, 0x1000, 0x0fff, 0x1001, -0x1000, 0x2000 - 1])
      out.push((b + d) >>> 0);
  }
  let seed = 12345;
  for (let i = 0; i < 20000; i++) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    out.push(seed);
  }
  // Signalling and quiet NaNs with payloads, both signs; infinities; the overflow edge.
  out.push(0x7f800001, 0xff800001, 0x7fc00000, 0x7fa12345, 0xffc0dead, 0x7f800000, 0xff800000);
  out.push(0x477fefff, 0x477ff000, 0x38800000, 0x387fffff, 0x33000000, 0x33000001);
  return Uint32Array.from(out);
}

describe("float32ArrayToFloat16Bits", () => {
  it("gives toFloat16Bits of every element, at offsets", () => {
    const bits = interestingFloat32Bits();
    const src = new Float32Array(bits.buffer);
    const dst = new Uint16Array(src.length + 3);
    float32ArrayToFloat16Bits(src, 2, dst, 3, src.length - 2);
    for (let i = 2; i < src.length; i++) {
      const want = toFloat16Bits(src[i]!);
      if (dst[i + 1] !== want) expect([i, bits[i], dst[i + 1]]).toEqual([i, bits[i], want]);
    }
  });
});

describe("float16BitsToFloat32Array", () => {
  it("widens every float16 exactly, NaNs quiet with their payload", () => {
    const src = Uint16Array.from({ length: 0x10000 }, (_, h) => h);
    const dst = new Float32Array(0x10000);
    float16BitsToFloat32Array(src, 0, dst, 0, 0x10000);
    const got = new Uint32Array(dst.buffer);
    for (let h = 0; h < 0x10000; h++) {
      const nan = (h & 0x7fff) > 0x7c00;
      const want = (float16BitsToFloat32Bits(h) | (nan ? 0x400000 : 0)) >>> 0;
      if (got[h] !== want) expect([h, got[h]]).toEqual([h, want]);
      if (!nan) expect(dst[h]).toBe(float16BitsToNumber(h));
    }
  });
});

describe("cast fast path", () => {
  it("a contiguous float32 view casts to float16 as element by element", () => {
    const bits = interestingFloat32Bits();
    const t = tensor(new Float32Array(bits.buffer)).narrow(0, 5, bits.length - 5); // an offset view
    const h = t.to(float16).toTypedArray() as Uint16Array;
    const src = t.toTypedArray() as Float32Array;
    expect([...h]).toEqual([...src].map((v) => toFloat16Bits(v)));
    const back = t.to(float16).to(float32).toTypedArray() as Float32Array;
    expect([...back].map(float32Bits)).toEqual(
      [...h].map((b) => float32Bits(float16BitsToNumber(b))),
    );
  });
});
