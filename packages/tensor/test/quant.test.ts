// decodeQuantScales (the fast, whole-array path every kernel uses) against decodeQuantScale
// (the spec's word-by-word definition), bit for bit, on words with every part set: the
// float32 bits (NaN, infinities, subnormals, negatives), the offset bits and the 1<<46 flag.
import { describe, expect, it } from "vitest";
import { decodeQuantScale, decodeQuantScales } from "../src/numerics/quant.js";
import { float32Bits } from "../src/numerics/float16.js";

function randomWords(n: number, seed: number): BigInt64Array {
  let s = seed >>> 0;
  const next = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0);
  const specials = [
    0, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00001, 0xffffffff, 0x00000001, 0x3f800000,
    0x00001fff,
  ];
  return BigInt64Array.from({ length: n }, (_, i) => {
    const low = i < specials.length ? specials[i]! : next();
    const high = i % 3 === 0 ? 0 : next() | (i % 2 ? 0x4000 : 0); // offset bits, the 1<<46 flag
    return BigInt.asIntN(64, (BigInt(high >>> 0) << 32n) | BigInt(low >>> 0));
  });
}

describe("decodeQuantScales", () => {
  it("equals decodeQuantScale word by word, bit for bit", () => {
    const words = randomWords(4096, 7);
    const got = decodeQuantScales(words);
    for (let i = 0; i < words.length; i++) {
      const want = decodeQuantScale(words[i]!);
      expect(float32Bits(got[i]!) >>> 0, `word ${words[i]}`).toBe(float32Bits(want) >>> 0);
    }
  });

  it("reads and writes views at offsets inside larger buffers, touching nothing else", () => {
    const all = randomWords(9, 3);
    const view = new BigInt64Array(all.buffer, 8 * 4, 5);
    const want = Array.from(view, (w) => float32Bits(decodeQuantScale(w)) >>> 0);
    expect(Array.from(decodeQuantScales(view), (x) => float32Bits(x) >>> 0)).toEqual(want);
    const target = new Uint32Array(12).fill(0xdeadbeef);
    const out = new Float32Array(target.buffer, 4 * 3, 5);
    expect(decodeQuantScales(view, out)).toBe(out);
    expect(Array.from(target)).toEqual([
      ...Array(3).fill(0xdeadbeef),
      ...want,
      ...Array(4).fill(0xdeadbeef),
    ]);
  });
});
