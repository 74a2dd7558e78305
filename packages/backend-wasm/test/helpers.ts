// Shared test plumbing: geometry from shapes, random case data, and running QuantConv2d
// through a runtime against the spec-literal reference.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  draws,
  firstBitMismatch as firstMismatch,
  referenceQuantConv2d,
  seededRandom,
} from "@tsnpu/conformance";
import {
  convOutputSize,
  decodeQuantScales,
  float32Bits,
  type QuantConv2dGeometry,
} from "@tsnpu/tensor";
// The runtime alone: importing the package index would register the "wasm" backend, which
// dist.test.ts registers from the built files instead.
import { WasmRuntime, layoutQuantConv2d } from "../src/runtime/index.js";

export function geometry(
  input: readonly number[],
  weight: readonly number[],
  stride: readonly [number, number],
  pad: readonly [number, number],
  dil: readonly [number, number],
  offsetX: number,
): QuantConv2dGeometry {
  const [n, cin, h, w] = input as [number, number, number, number];
  const [cout, , kh, kw] = weight as [number, number, number, number];
  const hOut = convOutputSize(h, kh, stride[0], pad[0], dil[0]);
  const wOut = convOutputSize(w, kw, stride[1], pad[1], dil[1]);
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
    dilationH: dil[0],
    dilationW: dil[1],
    hOut,
    wOut,
    offsetX,
  };
}

/** Runs one call with fresh buffers; returns the float16 bits. */
export function runOnce(
  rt: WasmRuntime,
  g: QuantConv2dGeometry,
  input: Int8Array,
  weight: Int8Array,
  bias: Int32Array | null,
  scale: Float32Array,
): Uint16Array {
  const packed = rt.packQuantConv2dWeights(g, weight);
  const x = rt.upload(input);
  const b = bias ? rt.upload(bias) : 0;
  const s = rt.upload(scale);
  const outLen = g.n * g.cout * g.hOut * g.wOut;
  const o = rt.alloc(outLen * 2);
  rt.quantConv2d(g, x, packed, b, s, o);
  const result = rt.view(Uint16Array, o, outLen).slice();
  for (const p of [x, s, o]) rt.free(p);
  if (b) rt.free(b);
  rt.freePacked(packed);
  return result;
}

export { firstMismatch };

export interface RandomCase {
  g: QuantConv2dGeometry;
  input: Int8Array;
  weight: Int8Array;
  bias: Int32Array | null;
  words: BigInt64Array;
}

export type ScaleKind = "normal" | "overflow" | "subnormal" | "mixed" | "raw";

/**
 * Random int8 data, bias and scale words for `g`: saturated values when `extreme`, no / small /
 * int32-range bias, scales of one drawn kind ("raw": any bit pattern, inf and NaN included),
 * optionally with random offset bits 37..45 in the words.
 */
export function randomCaseData(
  rnd: () => number,
  g: QuantConv2dGeometry,
  o: { extreme: boolean; scaleKinds: readonly ScaleKind[]; offsetBits: boolean },
): RandomCase {
  const { int, pick } = draws(rnd);
  const int8 = () => (o.extreme ? pick([-128, 127]) : int(-128, 127));
  const input = Int8Array.from({ length: g.n * g.cin * g.h * g.w }, int8);
  const weight = Int8Array.from({ length: g.cout * g.cin * g.kh * g.kw }, int8);
  const biasKind = pick(["none", "small", "huge"]);
  const bias =
    biasKind === "none"
      ? null
      : Int32Array.from({ length: g.cout }, () =>
          biasKind === "small" ? int(-5000, 5000) : int(-2147483648, 2147483647),
        );
  const scaleKind = pick(o.scaleKinds);
  const words = BigInt64Array.from({ length: g.cout }, () => {
    let bits: number;
    switch (scaleKind) {
      case "normal":
        bits = float32Bits((rnd() - 0.5) * 2e-3);
        break;
      case "overflow":
        bits = float32Bits((rnd() - 0.5) * 1e4);
        break;
      case "subnormal":
        bits = float32Bits((rnd() - 0.5) * 1e-10);
        break;
      case "mixed":
        bits = float32Bits((rnd() - 0.5) * 10 ** int(-12, 6));
        break;
      default:
        bits = Math.floor(rnd() * 2 ** 32);
    }
    const word = BigInt(bits >>> 0) | (1n << 46n);
    return o.offsetBits ? word | (BigInt(int(0, 511)) << 37n) : word;
  });
  return { g, input, weight, bias, words };
}

/** The draws of seededRandom(seed) (conformance's draws, and rnd itself). */
export type Draws = ReturnType<typeof draws> & { readonly rnd: () => number };

/**
 * `count` cases of seed `seed`: geometries from `drawGeometry` (null: draw again), each with
 * anyCaseData.
 */
export function randomCases(
  count: number,
  seed: number,
  drawGeometry: (d: Draws) => QuantConv2dGeometry | null,
): RandomCase[] {
  const rnd = seededRandom(seed);
  const d = { ...draws(rnd), rnd };
  const out: RandomCase[] = [];
  while (out.length < count) {
    const g = drawGeometry(d);
    if (g) out.push(anyCaseData(rnd, g));
  }
  return out;
}

/** randomCaseData with every scale kind and offset bits; saturated inputs one time in five. */
export function anyCaseData(rnd: () => number, g: QuantConv2dGeometry): RandomCase {
  return randomCaseData(rnd, g, {
    extreme: rnd() < 0.2,
    scaleKinds: ["normal", "overflow", "subnormal", "mixed", "raw"],
    offsetBits: true,
  });
}

/** Cases of one plan mode (`mode`, named `modeName`): they land on it, then describeBitExact. */
export function describeModeCases(
  title: string,
  modeName: string,
  mode: number,
  cases: readonly RandomCase[],
  setups: readonly ThreadSetup[],
): void {
  describe(title, () => {
    it(`run in ${modeName}`, () => {
      for (const c of cases) expect(layoutQuantConv2d(c.g, 2).fields[0]).toBe(mode);
    });
    describeBitExact(cases, setups);
  });
}

/** For each thread count: every case bit for bit against referenceQuantConv2d. */
/** A thread count, or a thread count with the runtime's spinMs (0: threads sleep at once). */
export type ThreadSetup = number | { readonly threads: number; readonly spinMs: number };

export function describeBitExact(
  cases: readonly RandomCase[],
  setups: readonly ThreadSetup[],
): void {
  const expected = cases.map((c) => referenceQuantConv2d(c.g, c.input, c.weight, c.bias, c.words));
  for (const setup of setups) {
    const { threads, spinMs } =
      typeof setup === "number" ? { threads: setup, spinMs: undefined } : setup;
    describe(`${threads} thread(s)${spinMs === undefined ? "" : `, spinMs ${spinMs}`}`, () => {
      let rt: WasmRuntime;
      beforeAll(async () => {
        rt = await WasmRuntime.create({ numThreads: threads, minParallelMacs: 0, spinMs });
      });
      afterAll(() => rt.dispose());
      it(`${cases.length} cases bit for bit`, () => {
        for (let i = 0; i < cases.length; i++) {
          const c = cases[i]!;
          const got = runOnce(rt, c.g, c.input, c.weight, c.bias, decodeQuantScales(c.words));
          const bad = firstMismatch(got, expected[i]!);
          if (bad >= 0) {
            expect.fail(
              `case ${i} ${JSON.stringify(c.g)} bias=${c.bias !== null}: element ${bad} got ${got[bad]} want ${expected[i]![bad]}`,
            );
          }
        }
      });
    });
  }
}
