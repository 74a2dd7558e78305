// Seeded property test: random small geometries (odd and tiny channel counts, padding wider
// than the kernel, dilation, stride, offset_x at its extremes, no bias, scales that overflow
// float16 or land in its subnormals, raw scale words incl. inf/NaN) against the spec-literal
// reference, on 1, 2 and 3 threads. Every plan mode (plane, direct, im2col) is drawn.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { referenceQuantConv2d, seededRandom } from "@tsnpu/conformance";
import { decodeQuantScales, float32Bits, type QuantConv2dGeometry } from "@tsnpu/tensor";
import { layoutQuantConv2d, WasmRuntime } from "../src/index.js";
import { firstMismatch, geometry, runOnce } from "./helpers.js";

interface Case {
  g: QuantConv2dGeometry;
  input: Int8Array;
  weight: Int8Array;
  bias: Int32Array | null;
  words: BigInt64Array;
}

function makeCases(count: number, seed: number): Case[] {
  const rnd = seededRandom(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const out: Case[] = [];
  while (out.length < count) {
    const cin = pick([1, 2, 3, 4, 5, 7, 8, 15, 16, 17, 24, 33, int(1, 40)]);
    const cout = pick([1, 2, 3, 4, 5, 7, 8, 9, 12, 16, 17, int(1, 40)]);
    const kh = int(1, 5), kw = pick([1, 2, 3, 5, int(1, 7)]);
    const stride: [number, number] = [pick([1, 1, 2, 3]), pick([1, 1, 2, 3])];
    const dil: [number, number] = [pick([1, 1, 2, 3]), pick([1, 1, 2, 3])];
    const pad: [number, number] = [pick([0, 1, 2, kh + 1, int(0, 7)]), pick([0, 1, 2, kw + 2, int(0, 7)])];
    const n = pick([1, 1, 2, 3]);
    const h = int(1, 12), w = int(1, 14);
    const offsetX = pick([-128, 127, 0, int(-128, 127)]);
    const g = geometry([n, cin, h, w], [cout, cin, kh, kw], stride, pad, dil, offsetX);
    if (g.hOut <= 0 || g.wOut <= 0 || g.n * g.cout * g.hOut * g.wOut * cin * kh * kw > 4e6) continue;
    // Inputs: uniform, or saturated to exercise int32 growth.
    const extreme = rnd() < 0.2;
    const input = Int8Array.from({ length: n * cin * h * w }, () => (extreme ? pick([-128, 127]) : int(-128, 127)));
    const weight = Int8Array.from({ length: cout * cin * kh * kw }, () => (extreme ? pick([-128, 127]) : int(-128, 127)));
    const biasKind = pick(["none", "small", "huge"]);
    const bias =
      biasKind === "none" ? null
        : Int32Array.from({ length: cout }, () => (biasKind === "small" ? int(-5000, 5000) : int(-2147483648, 2147483647)));
    const scaleKind = pick(["normal", "overflow", "subnormal", "mixed", "raw"]);
    const words = BigInt64Array.from({ length: cout }, () => {
      let bits: number;
      switch (scaleKind) {
        case "normal": bits = float32Bits((rnd() - 0.5) * 2e-3); break;
        case "overflow": bits = float32Bits((rnd() - 0.5) * 1e4); break;
        case "subnormal": bits = float32Bits((rnd() - 0.5) * 1e-10); break;
        case "mixed": bits = float32Bits((rnd() - 0.5) * Math.pow(10, int(-12, 6))); break;
        default: bits = Math.floor(rnd() * 2 ** 32); // any pattern: inf, NaN, subnormal float32
      }
      return BigInt(bits >>> 0) | (1n << 46n) | (BigInt(int(0, 511)) << 37n);
    });
    out.push({ g, input, weight, bias, words });
  }
  return out;
}

const cases = makeCases(180, 20261127);
const expected = cases.map((c) => referenceQuantConv2d(c.g, c.input, c.weight, c.bias, c.words));

describe("random geometries vs referenceQuantConv2d", () => {
  it("draws every plan mode", () => {
    const modes = new Set(cases.map((c) => layoutQuantConv2d(c.g, 2).fields[0]));
    expect([...modes].sort()).toEqual([0, 1, 2]);
  });
  for (const threads of [1, 2, 3]) {
    describe(`${threads} thread(s)`, () => {
      let rt: WasmRuntime;
      beforeAll(async () => {
        rt = await WasmRuntime.create({ numThreads: threads, minParallelMacs: 0 });
      });
      afterAll(() => rt.dispose());
      it(`${cases.length} cases bit for bit`, () => {
        for (let i = 0; i < cases.length; i++) {
          const c = cases[i]!;
          const got = runOnce(rt, c.g, c.input, c.weight, c.bias, decodeQuantScales(c.words));
          const bad = firstMismatch(got, expected[i]!);
          if (bad >= 0) {
            expect.fail(`case ${i} ${JSON.stringify(c.g)} bias=${c.bias !== null}: element ${bad} got ${got[bad]} want ${expected[i]![bad]}`);
          }
        }
      });
    });
  }
});
