// The fast cpu QuantConv2d against the golden vectors (bit for bit) and, on random geometries,
// against the spec-literal reference of @tsnpu/conformance.

import { describe, expect, it } from "vitest";
import {
  caseGeometry,
  describeMismatch,
  float32ToFloat16Vectors,
  quantConv2dCases,
  referenceQuantConv2d,
  draws,
  seededRandom,
} from "@tsnpu/conformance";
import {
  convOutputSize,
  decodeQuantScales,
  float32BitsToFloat16Bits,
  type QuantConv2dGeometry,
} from "@tsnpu/tensor";
import {
  float32BitsToFloat16BitsFast,
  packQuantConv2dWeights,
  quantConv2d,
  quantConv2dPacked,
} from "../src/impl/quant-conv2d.js";

function geometry(
  n: number,
  cin: number,
  h: number,
  w: number,
  cout: number,
  kh: number,
  kw: number,
  stride: [number, number],
  pad: [number, number],
  dilation: [number, number],
  offsetX: number,
): QuantConv2dGeometry {
  const hOut = convOutputSize(h, kh, stride[0], pad[0], dilation[0]);
  const wOut = convOutputSize(w, kw, stride[1], pad[1], dilation[1]);
  return {
    n,
    cin,
    h,
    w,
    cout,
    kh,
    kw,
    strideH: stride[0],
    strideW: stride[1],
    padH: pad[0],
    padW: pad[1],
    dilationH: dilation[0],
    dilationW: dilation[1],
    hOut,
    wOut,
    offsetX,
  };
}

describe("quantConv2d: golden vectors", () => {
  const cases = quantConv2dCases();
  it("has the golden vectors", () => expect(cases.length).toBeGreaterThanOrEqual(20));
  for (const c of cases) {
    it(c.name, () => {
      const g = caseGeometry(c);
      expect([g.n, g.cout, g.hOut, g.wOut]).toEqual(c.expected.shape);
      const scale = decodeQuantScales(c.scale);
      const eager = new Uint16Array(c.expected.bits.length);
      quantConv2d(g, c.input.data, c.weight.data, c.bias, scale, eager);
      expect(describeMismatch(eager, c.expected.bits)).toBeNull();
      // Graph mode: weights packed once, run twice (the packed weights must not be consumed).
      const packed = packQuantConv2dWeights(g, c.weight.data);
      for (let run = 0; run < 2; run++) {
        const out = new Uint16Array(c.expected.bits.length).fill(0xffff);
        quantConv2dPacked(g, c.input.data, packed, c.bias, scale, out);
        expect(describeMismatch(out, c.expected.bits)).toBeNull();
      }
    });
  }
});

describe("quantConv2d: random geometries against the spec reference", () => {
  const random = seededRandom(0x5eed_c0de);
  const { int, pick } = draws(random);
  const f32 = new Float32Array(1);
  const u32 = new Uint32Array(f32.buffer);

  /**
   * int8 data: uniform, only the extremes, or mostly extremes; `saturated` makes it mostly one
   * extreme value so that long sums really overflow int32.
   */
  function int8Data(len: number, saturated = false): Int8Array {
    const mode = int(0, 2);
    const d = new Int8Array(len);
    if (saturated) {
      const v = pick([-128, 127]);
      for (let i = 0; i < len; i++) d[i] = random() < 0.9 ? v : int(-128, 127);
      return d;
    }
    for (let i = 0; i < len; i++) {
      d[i] =
        mode === 0
          ? int(-128, 127)
          : mode === 1
            ? pick([-128, 127])
            : random() < 0.7
              ? pick([-128, 127, -127, 0])
              : int(-128, 127);
    }
    return d;
  }

  /** int64 scale words: float32 bits whose exponent ranges from float16-subnormal to overflow. */
  function scaleWords(cout: number): BigInt64Array {
    const words = new BigInt64Array(cout);
    for (let o = 0; o < cout; o++) {
      f32[0] = (random() < 0.5 ? -1 : 1) * (1 + random()) * 2 ** int(-40, 10);
      if (random() < 0.05) f32[0] = pick([0, -0, Infinity, NaN]);
      // Random low 13 bits and high word: the decoder must ignore both.
      const low = BigInt(u32[0]! >>> 0) | BigInt(int(0, 0x1fff));
      words[o] = BigInt.asIntN(64, (BigInt(int(0, 0x7fff)) << 32n) | low);
    }
    return words;
  }

  function biasData(cout: number): Int32Array | null {
    if (random() < 0.25) return null;
    const b = new Int32Array(cout);
    for (let o = 0; o < cout; o++)
      b[o] = random() < 0.2 ? pick([-(2 ** 31), 2 ** 31 - 1]) : int(-(2 ** 20), 2 ** 20);
    return b;
  }

  function randomGeometry(): QuantConv2dGeometry {
    for (;;) {
      const kh = int(1, 5),
        kw = int(1, 5);
      const g = geometry(
        int(1, 3),
        int(1, 9),
        int(1, 11),
        int(1, 11),
        int(1, 9),
        kh,
        kw,
        [int(1, 4), int(1, 4)],
        [int(0, 7), int(0, 7)], // often larger than the kernel
        [int(1, 3), int(1, 3)],
        int(-128, 127),
      );
      if (g.hOut > 0 && g.wOut > 0) return g;
    }
  }

  function check(g: QuantConv2dGeometry, label: string, saturated = false): void {
    const input = int8Data(g.n * g.cin * g.h * g.w, saturated);
    const weight = int8Data(g.cout * g.cin * g.kh * g.kw, saturated);
    const words = scaleWords(g.cout);
    const bias = biasData(g.cout);
    const expected = referenceQuantConv2d(g, input, weight, bias, words);
    const out = new Uint16Array(expected.length);
    quantConv2d(g, input, weight, bias, decodeQuantScales(words), out);
    const mismatch = describeMismatch(out, expected);
    expect(mismatch, `${label} ${JSON.stringify(g)}: ${mismatch}`).toBeNull();
  }

  it("matches on 300 small geometries", () => {
    for (let i = 0; i < 300; i++) check(randomGeometry(), `small #${i}`);
  });

  it("matches on larger maps that span several im2col pixel chunks", () => {
    for (let i = 0; i < 8; i++) {
      const k = int(1, 3);
      const g = geometry(
        int(1, 2),
        int(16, 40),
        int(16, 36),
        int(16, 36),
        int(3, 9),
        k,
        k,
        [1, int(1, 2)],
        [int(0, 2), int(0, 2)],
        [1, 1],
        int(-128, 127),
      );
      check(g, `large map #${i}`);
    }
  });

  it("matches when K spans several exact float64 chunks", () => {
    // K = cin * kh * kw beyond the 4095-long chunks of the pair GEMM.
    for (let i = 0; i < 6; i++) {
      const g = geometry(
        1,
        int(460, 1200),
        int(3, 5),
        int(3, 5),
        int(1, 5),
        3,
        3,
        [1, 1],
        [int(0, 1), int(0, 1)],
        [1, 1],
        int(-128, 127),
      );
      check(g, `deep #${i}`, i % 2 === 0);
    }
  });

  it("wraps the int32 sum like two's complement", () => {
    // K = 2048 * 81 = 165888 products of up to 16384 overflow int32 several times. One and two
    // output channels take the direct path, more the im2col + GEMM path: both must wrap.
    for (const cout of [1, 2, 3, 5]) {
      const g = geometry(1, 2048, 9, 9, cout, 9, 9, [1, 1], [0, 0], [1, 1], 0);
      check(g, `wrap, cout ${cout}`, true);
    }
  });
});

describe("float32BitsToFloat16BitsFast", () => {
  it("matches the golden float32 -> float16 vectors (NaN payloads aside)", () => {
    const { f32Bits, f16Bits } = float32ToFloat16Vectors();
    const got = f32Bits.map(float32BitsToFloat16BitsFast);
    expect(describeMismatch(new Uint16Array(got), f16Bits)).toBeNull();
  });

  it("matches the shared conversion around every float16 exponent boundary and at random", () => {
    const random = seededRandom(42);
    for (let i = 0; i < 200_000; i++) {
      // Half the draws land near a boundary of the fast path's range.
      const base = [0x38800000, 0x47800000, 0x33000000, 0x477fe000][i & 3]!;
      const bits =
        i & 4
          ? Math.floor(random() * 2 ** 32) >>> 0
          : (base + Math.floor(random() * 0x4000) - 0x2000 + (random() < 0.5 ? 0x80000000 : 0)) >>>
            0;
      const fast = float32BitsToFloat16BitsFast(bits);
      const ref = float32BitsToFloat16Bits(bits);
      if (fast !== ref)
        expect.fail(`0x${bits.toString(16)}: 0x${fast.toString(16)} != 0x${ref.toString(16)}`);
    }
  });
});
