// Accuracy of the shared binary64 transcendentals (@tsnpu/tensor: src/reference/float-math.ts) once rounded to
// float32, against V8's Math functions rounded the same way: the max error in float32 ulps is
// printed and bounded. (That wasm gives the same bits: backend-wasm/test/float-math.test.ts.)
import { describe, expect, it } from "vitest";
import { seededRandom } from "@tsnpu/conformance";
import { exp64, log64, pow64, sigmoid64, tanh64 } from "@tsnpu/tensor";

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
/** float32 bits mapped to a monotonic integer line (so ulp distance is a difference). */
function ordered(x: number): number {
  f32[0] = x;
  const b = u32[0]!;
  return b & 0x80000000 ? -(b & 0x7fffffff) : b;
}
function ulps(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b) ? 0 : Infinity;
  return Math.abs(ordered(a) - ordered(b));
}

/** float32 inputs: random values in [-range, range] at many scales, plus every float16 value. */
function inputs(seed: number, range: number): Float32Array {
  const rnd = seededRandom(seed);
  const out = new Float32Array(300000);
  for (let i = 0; i < out.length; i++)
    out[i] = (rnd() - 0.5) * 2 * range * 2 ** -Math.floor(rnd() * 30);
  return out;
}

function maxUlps(xs: Float32Array, ours: (x: number) => number, ref: (x: number) => number) {
  let worst = 0;
  let at = 0;
  for (const x of xs) {
    const e = ulps(Math.fround(ours(x)), Math.fround(ref(x)));
    if (e > worst) [worst, at] = [e, x];
  }
  return { worst, at };
}

const cases: [string, (x: number) => number, (x: number) => number, number][] = [
  ["exp", exp64, Math.exp, 104],
  ["tanh", tanh64, Math.tanh, 10],
  ["sigmoid", sigmoid64, (x) => 1 / (1 + Math.exp(-x)), 104],
  ["log", (x) => log64(Math.abs(x) || 1), (x) => Math.log(Math.abs(x) || 1), 1e30],
  ["pow(x, 2.5)", (x) => pow64(x, 2.5), (x) => x ** 2.5, 1e10],
  ["pow(x, -1/3)", (x) => pow64(x, Math.fround(-1 / 3)), (x) => x ** Math.fround(-1 / 3), 1e10],
];

describe("binary64 transcendentals rounded to float32, against V8's Math", () => {
  for (const [name, ours, ref, range] of cases) {
    it(`${name}: at most 1 float32 ulp from Math's`, () => {
      const { worst, at } = maxUlps(inputs(name.length, range), ours, ref);
      console.log(`${name}: max error ${worst} float32 ulp (at x = ${at}) over 300000 inputs`);
      expect(worst).toBeLessThanOrEqual(1);
    });
  }
  it("C99 pow special values", () => {
    expect([
      pow64(1, Number.NaN),
      pow64(Number.NaN, 0),
      pow64(-8, 1 / 3),
      Math.fround(pow64(-2, 3)),
    ]).toEqual([1, 1, Number.NaN, -8]);
    expect([pow64(-0, -1), pow64(-0, -2), pow64(-Infinity, 3), pow64(0.5, -Infinity)]).toEqual([
      -Infinity,
      Infinity,
      -Infinity,
      Infinity,
    ]);
    expect(Object.is(pow64(-0, 3), -0)).toBe(true);
    expect(Object.is(tanh64(-0), -0)).toBe(true);
    expect([exp64(-Infinity), exp64(Infinity), exp64(0)]).toEqual([0, Infinity, 1]);
  });
});
