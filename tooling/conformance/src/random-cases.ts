// Seeded random QuantConv2d problems for property tests: small shapes that still reach every
// corner (padding wider than the kernel, dilation, strides, offset_x extremes, no bias, int8
// extremes, scales whose products overflow float16 or fall into its subnormals).

import { quantConv2dGeometry, transQuantParamWord, type QuantConv2dGeometry } from "@tsnpu/tensor";

/** mulberry32: a tiny deterministic generator, independent of tsnpu's own. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Integer and choice draws from `random`, one random() call each: int(lo, hi) inclusive, pick(xs) uniform. */
export function draws(random: () => number) {
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)]!;
  return { int, pick };
}

export interface RandomQuantProblem {
  readonly g: QuantConv2dGeometry;
  readonly input: Int8Array;
  readonly weight: Int8Array;
  readonly bias: Int32Array | null;
  readonly scaleFloat32: Float32Array;
  readonly scale: BigInt64Array;
}

export function randomQuantProblem(random: () => number): RandomQuantProblem {
  const { int, pick } = draws(random);
  for (;;) {
    const n = int(1, 3),
      cin = int(1, 40),
      cout = int(1, 20);
    const kh = int(1, 5),
      kw = int(1, 5);
    const strideH = int(1, 3),
      strideW = int(1, 3);
    const dilationH = int(1, 3),
      dilationW = int(1, 3);
    const padH = int(0, 6),
      padW = int(0, 6);
    const h = int(1, 14),
      w = int(1, 14);
    const sizes = quantConv2dGeometry({
      n,
      cin,
      h,
      w,
      cout,
      kh,
      kw,
      strideH,
      strideW,
      padH,
      padW,
      dilationH,
      dilationW,
      offsetX: 0,
    });
    if (sizes.hOut <= 0 || sizes.wOut <= 0) continue;
    const g: QuantConv2dGeometry = { ...sizes, offsetX: pick([0, 0, -128, 127, int(-128, 127)]) };
    const extremes = random() < 0.2;
    const int8 = () => (extremes ? pick([-128, 127, -128, 0]) : int(-128, 127));
    const input = Int8Array.from({ length: n * cin * h * w }, int8);
    const weight = Int8Array.from({ length: cout * cin * kh * kw }, int8);
    const bias =
      random() < 0.2
        ? null
        : Int32Array.from({ length: cout }, () =>
            pick([int(-5000, 5000), int(-(2 ** 31), 2 ** 31 - 1)]),
          );
    // Magnitudes from float16-subnormal territory to overflow.
    const scaleFloat32 = Float32Array.from(
      { length: cout },
      () => (random() < 0.5 ? -1 : 1) * 2 ** (random() * 40 - 30),
    );
    const scale = BigInt64Array.from(scaleFloat32, (s) => transQuantParamWord(s));
    return { g, input, weight, bias, scaleFloat32, scale };
  }
}
