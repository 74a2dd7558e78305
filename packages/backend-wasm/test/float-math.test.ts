// The transcendental float ops give the cpu's bits on wasm (one binary64 algorithm written twice:
// tensor/src/reference/float-math.ts and assembly/ops/float-math.ts): every float16 input, and
// float32 edges plus random bit patterns and random values in each op's interesting range.
import { beforeAll, describe, expect, it } from "vitest";
import "../src/register.js";
import "@tsnpu/backend-cpu";
import { seededRandom } from "@tsnpu/conformance";
import {
  exp,
  float16,
  float32,
  hardsigmoid,
  hardswish,
  leakyRelu,
  pow,
  sigmoid,
  softmax,
  sqrt,
  tanh,
  tensor,
  type Tensor,
} from "@tsnpu/tensor";
import { ready } from "../src/backend.js";

beforeAll(async () => {
  await ready({ numThreads: 1 });
});

/** Bits of the result as unsigned integers; every NaN as one value (payloads are not compared). */
function canonicalBits(t: Tensor): Uint32Array {
  const raw = t.cpu().toTypedArray();
  if (t.dtype === float16)
    return Uint32Array.from(raw as Uint16Array, (h) => ((h & 0x7fff) > 0x7c00 ? 0x7e00 : h));
  const bits = new Uint32Array((raw as Float32Array).buffer.slice(0));
  return bits.map((b) => ((b & 0x7fffffff) > 0x7f800000 ? 0x7fc00000 : b));
}

function expectSameBits(what: string, op: (x: Tensor) => Tensor, x: Tensor): void {
  const want = canonicalBits(op(x));
  const xw = x.to("wasm");
  const gotT = op(xw);
  const got = canonicalBits(gotT);
  gotT.dispose();
  xw.dispose();
  const bad = got.findIndex((b, i) => b !== want[i]);
  expect(
    bad < 0
      ? ""
      : `${what}: element ${bad} (input bits ${describeInput(x, bad)}) is ${got[bad]!.toString(16)}, cpu ${want[bad]!.toString(16)}`,
  ).toBe("");
}

function describeInput(x: Tensor, i: number): string {
  const raw = x.toTypedArray();
  return x.dtype === float16
    ? (raw as Uint16Array)[i]!.toString(16)
    : new Uint32Array((raw as Float32Array).buffer)[i]!.toString(16);
}

const every16 = () =>
  tensor(
    Uint16Array.from({ length: 65536 }, (_, i) => i),
    { dtype: float16 },
  );

/** float32 edges: specials, subnormals, and the thresholds of overflow, underflow and saturation. */
function float32Inputs(seed: number, n: number, range: number): Tensor {
  const rnd = seededRandom(seed);
  const bits = new Uint32Array(n);
  const f = new Float32Array(bits.buffer);
  const edges = [
    0,
    -0,
    Infinity,
    -Infinity,
    Number.NaN,
    1e-45,
    -1e-45,
    1.1754942e-38,
    3.4028235e38,
    -3.4028235e38,
    88.72283,
    88.72284,
    -87.33655,
    -103.27893,
    -103.972,
    -104,
    9.01,
    9.02,
    20,
    200,
    -200,
    1e-8,
    -1e-8,
    2 ** -30,
    0.1733,
    0.5,
    1,
    -1,
    2,
    0.34657359,
  ];
  f.set(edges.map(Math.fround));
  for (let i = edges.length; i < n; i++) {
    const r = rnd();
    if (r < 0.3) bits[i] = Math.floor(rnd() * 2 ** 32);
    else f[i] = (rnd() - 0.5) * 2 * range * (r < 0.6 ? 1 : 2 ** -Math.floor(rnd() * 40));
  }
  return tensor(f, { dtype: float32 });
}

const unaryOps: [string, (x: Tensor) => Tensor, number][] = [
  ["exp", exp, 110],
  ["sigmoid", sigmoid, 110],
  ["tanh", tanh, 12],
  ["sqrt", sqrt, 1e6],
  ["hardswish", hardswish, 5],
  ["hardsigmoid", (x) => hardsigmoid(x, 0.2, 0.5), 5],
  ["leaky_relu", (x) => leakyRelu(x, 0.01), 5],
];

describe("the float ops on wasm give the cpu's bits", () => {
  for (const [name, op, range] of unaryOps) {
    it(`${name}: all 65536 float16 inputs`, () => expectSameBits(name, op, every16()));
    it(`${name}: 100000 float32 inputs (edges, random bits, random values)`, () =>
      expectSameBits(name, op, float32Inputs(name.length * 7919, 100000, range)));
  }
  for (const e of [2, 3, 0.5, -1, -2.5, 1 / 3, 7.25]) {
    it(`pow(x, ${e}): all 65536 float16 inputs, 100000 float32 inputs`, () => {
      expectSameBits(`pow ${e}`, (x) => pow(x, e), every16());
      expectSameBits(
        `pow ${e}`,
        (x) => pow(x, e),
        float32Inputs(Math.round(e * 1000) + 5, 100000, 30),
      );
    });
  }
  it("pow with tensor exponents: every float16 base against random float16 exponents; float32 pairs", () => {
    const rnd = seededRandom(99);
    const e16 = tensor(
      Uint16Array.from({ length: 65536 }, () => Math.floor(rnd() * 65536)),
      { dtype: float16 },
    );
    expectSameBits(
      "pow16",
      (x) => pow(x, x.device.type === "wasm" ? e16.to("wasm") : e16),
      every16(),
    );
    const e32 = float32Inputs(7, 100000, 8);
    expectSameBits(
      "pow32",
      (x) => pow(x, x.device.type === "wasm" ? e32.to("wasm") : e32),
      float32Inputs(8, 100000, 10),
    );
  });
  it("softmax: float16 and float32 rows of every length 1..64", () => {
    for (const [dtype, x] of [
      [float16, every16().reshape([1024, 64])],
      [float32, float32Inputs(3, 64 * 1000, 40).reshape([1000, 64])],
    ] as const) {
      for (const dim of [0, 1])
        expectSameBits(`softmax ${dtype.name} dim ${dim}`, (t) => softmax(t, dim), x);
      const moderate = tensor(
        Float32Array.from({ length: 64 * 64 }, (_, i) => Math.sin(i * 12.9898) * 30),
        { dtype },
      ).reshape([64, 64]);
      for (let len = 1; len <= 64; len += 9)
        expectSameBits(
          `softmax rows of ${len}`,
          (t) => softmax(t, 1),
          moderate.narrow(1, 0, len).contiguous(),
        );
    }
  });
});
