// Every conv mode converts a whole register tile to float16 after one range test
// (assembly/epilogue.ts, f16.ts): a tile whose results straddle float16's normal range must
// convert all of them with the general path. Here one output pixel, column or row of each tile
// is in range and its neighbour is not (overflow to infinity, or a float16 subnormal), in one
// group of 4 output channels (one SIMD vector) at a time.
// The weights copy input channel 0 to every output channel, so the input pattern and the
// per-channel scales decide which outputs fall where.
import { describe, expect, it } from "vitest";
import { float32Bits } from "@tsnpu/tensor";
import {
  layoutQuantConv2d,
  MODE_DIRECT,
  MODE_IM2COL,
  MODE_PLANE,
  MODE_POINTWISE,
  MODE_WINOGRAD,
} from "../src/index.js";
import { describeBitExact, geometry, type RandomCase } from "./helpers.js";

/** (h, w) -> input value of channel 0: small and large values in a pattern. */
type Pattern = (h: number, w: number) => number;
const PATTERNS: Record<string, Pattern> = {
  rows: (h) => (h % 2 ? 100 : 1),
  "rows, other phase": (h) => (h % 2 ? 1 : 100),
  columns: (_, w) => (w % 2 ? 1 : 100),
  "columns, other phase": (_, w) => (w % 2 ? 100 : 1),
  "one pixel": (h, w) => (h === 3 && w === 4 ? 100 : 1),
};
/**
 * [straddling, in range]: 1 -> a normal float16 and 100 -> infinity, or 100 -> normal and
 * 1 -> subnormal; the second scale keeps both values normal.
 */
const SCALES = { overflow: [1000, 1], subnormal: [1e-6, 1e-3] } as const;

/** Channels 4*group .. 4*group+3 get the straddling scale, the others the in-range one. */
function copyChannel0(
  cin: number,
  cout: number,
  k: number,
  pattern: Pattern,
  [straddling, inRange]: readonly number[],
  group: number,
): RandomCase {
  const pad = (k - 1) >> 1;
  const g = geometry([1, cin, 8, 9], [cout, cin, k, k], [1, 1], [pad, pad], [1, 1], 0);
  const input = new Int8Array(cin * 8 * 9);
  for (let h = 0; h < 8; h++) for (let w = 0; w < 9; w++) input[h * 9 + w] = pattern(h, w);
  const weight = new Int8Array(cout * cin * k * k);
  for (let o = 0; o < cout; o++) weight[o * cin * k * k + pad * k + pad] = 1;
  const scale = (o: number) => (o >> 2 === group ? straddling! : inRange!);
  const words = BigInt64Array.from({ length: cout }, (_, o) => BigInt(float32Bits(scale(o)) >>> 0));
  return { g, input, weight, bias: null, words };
}

const MODES = [
  { name: "Winograd", mode: MODE_WINOGRAD, cin: 16, cout: 16, k: 3 },
  { name: "direct", mode: MODE_DIRECT, cin: 16, cout: 16, k: 5 },
  { name: "pointwise", mode: MODE_POINTWISE, cin: 16, cout: 16, k: 1 },
  { name: "im2col", mode: MODE_IM2COL, cin: 1, cout: 16, k: 3 },
  { name: "plane", mode: MODE_PLANE, cin: 2, cout: 1, k: 3 },
];

for (const m of MODES) {
  describe(`${m.name} mode: tiles that straddle float16's normal range`, () => {
    const groups = Array.from({ length: Math.ceil(m.cout / 4) }, (_, i) => i);
    const cases = Object.values(PATTERNS).flatMap((p) =>
      Object.values(SCALES).flatMap((s) =>
        groups.map((q) => copyChannel0(m.cin, m.cout, m.k, p, s, q)),
      ),
    );
    it(`lands on the ${m.name} mode`, () => {
      for (const c of cases) expect(layoutQuantConv2d(c.g, 2).fields[0]).toBe(m.mode);
    });
    describeBitExact(cases, [1, 2]);
  });
}
