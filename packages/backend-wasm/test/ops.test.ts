// relu, neg, abs, clamp, max_pool2d, avg_pool2d, add, sub, mul, div and matmul on "wasm" against
// the cpu kernels, bit for bit: seeded random shapes and values with the float specials (NaN payloads and signs,
// -0, infinities, float16 subnormals), strided inputs, broadcasting, scalars, and small CNNs
// without fallback.
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import "@tsnpu/backend-cpu";
import { seededRandom } from "@tsnpu/conformance";
import {
  KernelNotFoundError,
  type Tensor,
  abs,
  add,
  avgPool2d,
  clamp,
  div,
  float16,
  float32,
  float16BitsToFloat32Bits,
  float32FromBits,
  int32,
  int8,
  matmul,
  maxPool2d,
  mul,
  neg,
  randint,
  relu,
  setFallback,
  sub,
  tensor,
  toFloat16Bits,
} from "@tsnpu/tensor";
import { Flatten, Linear, QuantConv2d } from "@tsnpu/nn";
import { wasm } from "../src/index.js";
import {
  bytes,
  expectSameAsCpu,
  int,
  pick,
  randomShape,
  randomTensor,
  sparseValues,
  values,
  type Rnd,
} from "./ops-helpers.js";

beforeAll(async () => {
  await wasm.ready({ numThreads: 1 });
});
afterEach(() => setFallback("wasm", "refuse"));

const CASES = 60;

describe("wasm element-wise kernels equal the cpu bit for bit", () => {
  for (const [name, op, seed] of [
    ["relu", relu, 100],
    ["neg", neg, 110],
    ["abs", abs, 120],
  ] as const) {
    for (const dtype of [float32, float16, int32, int8]) {
      it(`${name} ${dtype.name}`, () => {
        const rnd = seededRandom(seed + dtype.itemSize);
        for (let c = 0; c < CASES; c++) {
          expectSameAsCpu(`case ${c}`, op, randomTensor(rnd, dtype, randomShape(rnd)));
        }
      });
    }
  }

  it("neg and abs: NaN signs and payloads, -0, infinities, subnormals, the wrapping int minimum", () => {
    const f32 = [
      0x7fc00aaa, 0xffc00bbb, 0x7f800001, 0xff800abc, 0, 0x80000000, 0x7f800000, 0xff800000,
      0x00000001, 0x807fffff, 0x3f800000,
    ];
    const f16 = [0x7e12, 0xfe34, 0x7c01, 0xfc55, 0, 0x8000, 0x7c00, 0xfc00, 0x0001, 0x83ff, 0x3c00];
    const inputs = [
      tensor(new Float32Array(Uint32Array.from(f32).buffer)),
      tensor(Uint16Array.from(f16), { dtype: float16 }),
      tensor(Int32Array.of(-(2 ** 31), 2 ** 31 - 1, -1, 0, 5)),
      tensor(Int8Array.of(-128, 127, -1, 0, 5), { dtype: int8 }),
    ];
    for (const x of inputs) {
      expectSameAsCpu(`neg ${x.dtype.name}`, neg, x);
      expectSameAsCpu(`abs ${x.dtype.name}`, abs, x);
    }
    // V8 flips and clears the sign of a NaN too, and quiets it on the way in.
    const bits16 = (t: Tensor) => Array.from(t.cpu().toTypedArray() as Uint16Array);
    const h = inputs[1]!.to("wasm");
    expect(bits16(neg(h)).slice(0, 6)).toEqual([0xfe12, 0x7e34, 0xfe01, 0x7e55, 0x8000, 0x0000]);
    expect(bits16(abs(h)).slice(0, 4)).toEqual([0x7e12, 0x7e34, 0x7e01, 0x7e55]);
    expect(neg(inputs[2]!.to("wasm")).tolist()).toEqual([-(2 ** 31), -(2 ** 31) + 1, 1, 0, -5]);
    expect(abs(inputs[3]!.to("wasm")).tolist()).toEqual([-128, 127, 1, 0, 5]);
  });

  for (const dtype of [float32, float16]) {
    it(`clamp ${dtype.name}`, () => {
      const rnd = seededRandom(200 + dtype.itemSize);
      const bound = () =>
        pick(rnd, [
          null,
          0,
          -0,
          6,
          -6,
          0.1,
          1e-7,
          65519,
          70000,
          Infinity,
          -Infinity,
          Number.NaN,
          (rnd() - 0.5) * 10,
        ]);
      for (let c = 0; c < CASES; c++) {
        let [lo, hi] = [bound(), bound()];
        if (lo === null && hi === null) lo = 0;
        expectSameAsCpu(
          `case ${c} [${lo}, ${hi}]`,
          (x) => clamp(x, lo, hi),
          randomTensor(rnd, dtype, randomShape(rnd)),
        );
      }
    });

    it(`max_pool2d ${dtype.name}, every attribute`, () => {
      const rnd = seededRandom(300 + dtype.itemSize);
      for (let c = 0; c < CASES; c++) {
        const k: [number, number] = [int(rnd, 1, 4), int(rnd, 1, 4)];
        const options = {
          stride: [int(rnd, 1, 3), int(rnd, 1, 3)] as [number, number],
          padding: [int(rnd, 0, k[0] >> 1), int(rnd, 0, k[1] >> 1)] as [number, number],
          dilation: [int(rnd, 1, 2), int(rnd, 1, 2)] as [number, number],
          ceilMode: rnd() < 0.5,
        };
        const shape = [
          ...(rnd() < 0.5 ? [int(rnd, 1, 2)] : []),
          int(rnd, 1, 3),
          int(rnd, 7, 12),
          int(rnd, 7, 12),
        ];
        expectSameAsCpu(
          `case ${c} ${JSON.stringify({ shape, k, ...options })}`,
          (x) => maxPool2d(x, k, options),
          randomTensor(rnd, dtype, shape),
        );
      }
    });
  }

  it("max_pool2d: ties of -0 and +0, NaN anywhere in a window, all-padding windows", () => {
    const f16 = [0x8000, 0x0000, 0x7c01, 0x3c00, 0xfe12, 0x4000, 0x0000, 0x8000, 0xfc00];
    const f32 = Uint32Array.from(f16, (h) => float16BitsToFloat32Bits(h));
    for (const x of [
      tensor(Uint16Array.from(f16), { dtype: float16 }),
      tensor(new Float32Array(f32.buffer)),
    ]) {
      const img = x.reshape([1, 1, 3, 3]);
      expectSameAsCpu(`${x.dtype.name} 2x2 stride 1`, (t) => maxPool2d(t, 2, { stride: 1 }), img);
      expectSameAsCpu(
        `${x.dtype.name} 1x2 stride 1`,
        (t) => maxPool2d(t, [1, 2], { stride: 1 }),
        img,
      );
      expectSameAsCpu(
        `${x.dtype.name} 3x3 padded, ceil`,
        (t) => maxPool2d(t, 3, { stride: 2, padding: 1, ceilMode: true }),
        img,
      );
    }
    // A 1x1 window is the identity but for quieting the NaNs.
    const quieted = maxPool2d(
      tensor(Uint16Array.from(f16), { dtype: float16, device: "wasm" }).reshape([1, 3, 3]),
      1,
    );
    expect(Array.from(quieted.cpu().toTypedArray() as Uint16Array)).toEqual(
      f16.map((h) => (h === 0x7c01 ? 0x7e01 : h)),
    );
  });

  const binaryOps = { add, sub, mul, div } as const;
  const seeds = { add: 400, mul: 450, sub: 1000, div: 1050 } as const;
  for (const name of ["add", "sub", "mul", "div"] as const) {
    const op = binaryOps[name];
    const hasAlpha = name === "add" || name === "sub";
    for (const dtype of name === "div" ? [float32, float16] : [float32, float16, int32]) {
      it(`${name} ${dtype.name}: equal shapes, broadcasting, scalars${hasAlpha ? ", alpha" : ""}`, () => {
        const rnd = seededRandom(seeds[name] + dtype.itemSize);
        for (let c = 0; c < CASES; c++) {
          const shape = randomShape(rnd);
          const a = randomTensor(rnd, dtype, shape);
          const alpha = hasAlpha
            ? pick(rnd, dtype === int32 ? [1, 1, -1, 3, 2 ** 33 + 5] : [1, 1, -1, 0, 0.1, 3, 1e30])
            : undefined;
          const kind = pick(rnd, ["same", "same", "broadcast", "scalar"]);
          if (kind === "scalar") {
            const s =
              dtype === int32
                ? pick(rnd, [0, -7, 123456789, 2 ** 31 - 1])
                : pick(rnd, [0, -0, 0.1, -3.5, 1e-6, 7e4, Infinity, Number.NaN]);
            expectSameAsCpu(
              `case ${c} scalar ${s} alpha ${alpha}`,
              (x) => (hasAlpha ? (op as typeof add)(x, s, alpha) : op(x, s)),
              a,
            );
            continue;
          }
          const bShape =
            kind === "same"
              ? shape
              : shape.slice(int(rnd, 0, shape.length)).map((d) => (rnd() < 0.5 ? 1 : d));
          const b = randomTensor(rnd, dtype, bShape);
          expectSameAsCpu(
            `case ${c} ${kind} ${JSON.stringify([shape, bShape])} alpha ${alpha}`,
            (x, y) => (hasAlpha ? (op as typeof add)(x, y!, alpha) : op(x, y!)),
            a,
            b,
          );
        }
      });
    }

    it(`${name} of mixed dtypes promotes as the cpu does`, () => {
      const rnd = seededRandom(500 + Object.keys(seeds).indexOf(name));
      for (const [da, db] of [
        [float16, float32],
        [int32, float16],
        [int8, int32],
        [int8, float16],
        [float32, int8],
      ] as const) {
        const shape = randomShape(rnd, 1);
        expectSameAsCpu(
          `${da.name} ${name} ${db.name}`,
          op as (x: Tensor, y: Tensor) => Tensor,
          randomTensor(rnd, da, shape),
          randomTensor(rnd, db, shape),
        );
      }
    });
  }

  it("sub and div: NaN precedence, inf - inf, 0 / 0, -0, alpha, int wrap, int operands of div", () => {
    // Built from bits: a JS array literal would canonicalize the NaN payloads.
    const [nanA, nanB, sNaN, inf, ninf, zero, nzero, one, tiny] = [
      0x7fc00aaa, 0xffc00bbb, 0xff800123, 0x7f800000, 0xff800000, 0, 0x80000000, 0x3f800000,
      0x00000001,
    ];
    const f32 = (bits: number[]) => tensor(new Float32Array(Uint32Array.from(bits).buffer));
    const a = f32([
      nanA,
      nanB,
      nanA,
      one,
      sNaN,
      one,
      inf,
      ninf,
      zero,
      nzero,
      zero,
      inf,
      tiny,
      one,
      nanA,
    ]);
    const b = f32([
      nanB,
      nanA,
      one,
      nanB,
      nanA,
      sNaN,
      inf,
      ninf,
      zero,
      zero,
      nzero,
      zero,
      0x7f7fffff,
      tiny,
      inf,
    ]);
    for (const [what, x, y] of [
      ["float32", a, b],
      ["float16", a.to(float16), b.to(float16)],
    ] as const) {
      for (const alpha of [1, -1, 0, 2.5])
        expectSameAsCpu(`${what} sub alpha ${alpha}`, (p, q) => sub(p, q!, alpha), x, y);
      expectSameAsCpu(`${what} div`, (p, q) => div(p, q!), x, y);
      expectSameAsCpu(`${what} div by a scalar NaN`, (p) => div(p, Number.NaN), x);
    }
    // The first operand's NaN wins, quieted: here what the cpu gives, pinned down.
    const bits32 = (t: Tensor) =>
      Array.from(new Uint32Array((t.cpu().toTypedArray() as Float32Array).slice().buffer));
    const [wa, wb] = [a.to("wasm"), b.to("wasm")];
    expect(bits32(sub(wa, wb)).slice(0, 6)).toEqual([
      nanA,
      nanB,
      nanA,
      nanB,
      0xffc00123,
      0xffc00123,
    ]);
    expect(bits32(div(wa, wb)).slice(0, 2)).toEqual([nanA, nanB]);
    const i = tensor(Int32Array.of(-(2 ** 31), 2 ** 31 - 1, 7, -7));
    const j = tensor(Int32Array.of(1, -1, 2, 0));
    for (const alpha of [1, -1, 3, 2 ** 33 + 5])
      expectSameAsCpu(`int32 sub alpha ${alpha}`, (p, q) => sub(p, q!, alpha), i, j);
    expect(sub(i.to("wasm"), j.to("wasm")).tolist()).toEqual([2 ** 31 - 1, -(2 ** 31), 5, -7]);
    expectSameAsCpu("int32 div (float32 result)", (p, q) => div(p, q!), i, j);
    expectSameAsCpu("int32 div by an int scalar", (p) => div(p, 3), i);
  });

  it("sub and div to float16 round through float32 as the cpu does (double rounding)", () => {
    // 1 - -(2^-11 + 2^-34): float32 gives 1 + 2^-11, a float16 tie that goes to even 1.0 (0x3c00), as on the cpu.
    const x = tensor([1], { dtype: float16 });
    const s = -(2 ** -11 + 2 ** -34);
    expect(Array.from(sub(x.to("wasm"), s).cpu().toTypedArray() as Uint16Array)).toEqual([0x3c00]);
    expectSameAsCpu("sub scalar", (p) => sub(p, s), x);
    expectSameAsCpu("sub alpha", (p) => sub(p, -(2 ** -11), 1 + 2 ** -23), x);
    // 1 / 0x3f7fe003 is 1 + 2^-11 + 2^-32 + ...: float32 makes it the tie, float16 then 1.0 (directly 0x3c01).
    const d = float32FromBits(0x3f7fe003);
    expect(Array.from(div(x.to("wasm"), d).cpu().toTypedArray() as Uint16Array)).toEqual([0x3c00]);
    expectSameAsCpu("div scalar", (p) => div(p, d), x);
    // Quotients of two float16 values never fall that close to a tie; still, a few hundred of them.
    const rnd = seededRandom(1100);
    const p = tensor(
      Uint16Array.from({ length: 512 }, () => int(rnd, 0x0001, 0x7bff)),
      { dtype: float16 },
    );
    const q = tensor(
      Uint16Array.from({ length: 512 }, () => int(rnd, 0x0001, 0x7bff)),
      { dtype: float16 },
    );
    expectSameAsCpu("div", (u, v) => div(u, v!), p, q);
  });

  it("clamp of an int8 tensor with a float bound runs as float32", () => {
    const rnd = seededRandom(600);
    expectSameAsCpu("int8 clamp", (x) => clamp(x, -3.5, 100.25), randomTensor(rnd, int8, [3, 17]));
  });

  it("a dtype without a wasm kernel refuses, or runs on the cpu after setFallback", () => {
    const a = tensor([1, -2, 3], { dtype: int8, device: "wasm" });
    expect(() => a.add(a)).toThrow(KernelNotFoundError);
    expect(() => a.add(a)).toThrow(/no kernel on backend "wasm" for int8 results/);
    expect(() => a.sub(a)).toThrow(KernelNotFoundError);
    expect(() => a.mul(a)).toThrow(KernelNotFoundError);
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      setFallback("wasm", "cpu");
      const r = a.add(a);
      expect(r.device.type).toBe("wasm");
      expect(r.tolist()).toEqual([2, -4, 6]);
    } finally {
      warn.mockRestore();
    }
  });
});

describe("wasm matmul and avg_pool2d equal the cpu bit for bit", () => {
  /** Operand shapes: dot, vector x batched matrix, batched matrix x vector, broadcast batches; k up to 300. */
  function matmulShapes(rnd: Rnd): [number[], number[]] {
    const k = pick(rnd, [int(rnd, 1, 9), int(rnd, 1, 40), int(rnd, 100, 300), 0]);
    const [n, m] = [int(rnd, 1, 19), int(rnd, 1, 19)];
    const batch = Array.from({ length: int(rnd, 0, 3) }, () => int(rnd, 1, 3));
    const own = () => batch.slice(int(rnd, 0, batch.length)).map((d) => (rnd() < 0.3 ? 1 : d));
    switch (pick(rnd, ["dot", "vecmat", "matvec", "matmat", "matmat", "matmat"])) {
      case "dot":
        return [[k], [k]];
      case "vecmat":
        return [[k], [...own(), k, m]];
      case "matvec":
        return [[...own(), n, k], [k]];
      default:
        return [
          [...own(), n, k],
          [...own(), k, m],
        ];
    }
  }

  for (const dtype of [float32, float16]) {
    it(`matmul ${dtype.name}: batches, broadcasting, 1-D operands, strided operands, specials`, () => {
      const rnd = seededRandom(800 + dtype.itemSize);
      for (let c = 0; c < 4 * CASES; c++) {
        const [aShape, bShape] = matmulShapes(rnd);
        // Dense specials make most results NaN: mostly plain values, some with a few specials (with or without NaN).
        const mode = pick(rnd, ["plain", "plain", "sparse", "noNaN", "dense"] as const);
        const gen =
          mode === "dense" ? values : sparseValues(mode === "plain" ? 0 : 0.02, mode === "noNaN");
        expectSameAsCpu(
          `case ${c} ${mode} ${JSON.stringify([aShape, bShape])}`,
          (x, y) => matmul(x, y!),
          randomTensor(rnd, dtype, aShape, gen),
          randomTensor(rnd, dtype, bShape, gen),
        );
      }
    });
  }

  it("matmul: NaN precedence, inf * 0, inf - inf, -0, double rounding to float16, int dtypes declined", () => {
    // Built from bits: a JS array literal would canonicalize the NaN payloads.
    const [nanA, nanB, sNaN, inf, ninf, zero, nzero, one, max] = [
      0x7fc00aaa, 0xffc00bbb, 0x7f800001, 0x7f800000, 0xff800000, 0, 0x80000000, 0x3f800000,
      0x7f7fffff,
    ];
    const f32 = (rows: number[][]) =>
      tensor(new Float32Array(Uint32Array.from(rows.flat()).buffer)).reshape([
        rows.length,
        rows[0]!.length,
      ]);
    const a = f32([
      [nanA, one, one],
      [one, nanA, zero],
      [sNaN, nanB, zero],
      [inf, one, zero],
      [inf, ninf, zero],
      [nzero, nzero, nzero],
      [max, max, 0xff7fffff],
      [inf, nanA, one],
      [one, one, nanA],
    ]);
    const b = f32([
      [nanB, one, zero],
      [one, nanB, inf],
      [nanA, sNaN, one],
    ]);
    expectSameAsCpu("float32", (x, y) => matmul(x, y!), a, b);
    expectSameAsCpu("float16", (x, y) => matmul(x, y!), a.to(float16), b.to(float16));
    // 1 + 2^-11 + 2^-40 rounds to float32 first (1 + 2^-11, a tie), then to float16 1.0, as the cpu does.
    const x = tensor([1, 2 ** -11, 2 ** -20], { dtype: float16, device: "wasm" });
    const y = tensor([1, 1, 2 ** -20], { dtype: float16, device: "wasm" });
    expect(Array.from(matmul(x, y).cpu().toTypedArray() as Uint16Array)).toEqual([0x3c00]);
    expectSameAsCpu("double rounding", (p, q) => matmul(p, q!), x.cpu(), y.cpu());
    const i = tensor([[1, 2]], { dtype: int32, device: "wasm" });
    expect(() => matmul(i, i.transpose(0, 1))).toThrow(KernelNotFoundError);
  });

  for (const dtype of [float32, float16]) {
    it(`avg_pool2d ${dtype.name}, every attribute`, () => {
      const rnd = seededRandom(900 + dtype.itemSize);
      for (let c = 0; c < 2 * CASES; c++) {
        const k: [number, number] = [int(rnd, 1, 4), int(rnd, 1, 4)];
        const options = {
          stride: [int(rnd, 1, 3), int(rnd, 1, 3)] as [number, number],
          padding: [int(rnd, 0, k[0] >> 1), int(rnd, 0, k[1] >> 1)] as [number, number],
          ceilMode: rnd() < 0.5,
          countIncludePad: rnd() < 0.5,
          divisorOverride: pick(rnd, [null, null, null, 1, 3, -2, 7, 2 ** 40]),
        };
        const shape = [
          ...(rnd() < 0.5 ? [int(rnd, 1, 2)] : []),
          int(rnd, 1, 3),
          int(rnd, 5, 12),
          int(rnd, 5, 12),
        ];
        const gen = rnd() < 0.5 ? values : sparseValues(pick(rnd, [0, 0.03]));
        expectSameAsCpu(
          `case ${c} ${JSON.stringify({ shape, k, ...options })}`,
          (x) => avgPool2d(x, k, options),
          randomTensor(rnd, dtype, shape, gen),
        );
      }
    });
  }
});

/** QuantConv2d(4 -> 8, 3x3, padding 1) on the cpu with seeded weights, scales and bias. */
function seededQuantConv(rnd: Rnd): QuantConv2d {
  const conv = new QuantConv2d(4, 8, 3, float16, { padding: 1 });
  conv.weight.data = randint(-128, 128, [8, 4, 3, 3], { dtype: int8 });
  conv.scale.data = tensor(
    Float32Array.from({ length: 8 }, () => float32FromBits(0x38000000 + int(rnd, 0, 0x7fffff))),
  );
  conv.bias!.data = tensor(Int32Array.from({ length: 8 }, () => int(rnd, -3000, 3000)));
  return conv;
}

describe("a small int8 CNN on wasm without fallback", () => {
  it("QuantConv2d -> relu -> max_pool2d -> mul -> add -> clamp equals the cpu bit for bit", () => {
    setFallback("wasm", "refuse");
    const rnd = seededRandom(700);
    const conv = seededQuantConv(rnd);
    const half = (n: number) =>
      tensor(
        Uint16Array.from({ length: n }, () => toFloat16Bits((rnd() - 0.5) * 4)),
        { dtype: float16 },
      );
    const shift = half(8).reshape([1, 8, 1, 1]);
    const gain = half(8 * 8 * 8).reshape([8, 8, 8]);
    const net = (x: Tensor) => {
      const y = maxPool2d(relu(conv.forward(x)), 2, { stride: 2 });
      return clamp(add(mul(y, gain.to(y.device)), shift.to(y.device), 0.5), -6, 6);
    };
    const x = randint(-128, 128, [2, 4, 16, 16], { dtype: int8 });
    const want = net(x);
    conv.to("wasm");
    const got = net(x.to("wasm"));
    expect(got.device.type).toBe("wasm");
    expect(got.shape).toEqual([2, 8, 8, 8]);
    expect(bytes(got)).toEqual(bytes(want));
    expect(new Set(Array.from(want.toTypedArray() as Uint16Array)).size).toBeGreaterThan(100);
  });

  it("QuantConv2d -> relu -> max_pool2d -> Flatten -> Linear (and an avg_pool2d head) equals the cpu bit for bit", () => {
    setFallback("wasm", "refuse");
    const rnd = seededRandom(710);
    const conv = seededQuantConv(rnd);
    const half = (shape: number[], scale: number) =>
      tensor(
        Uint16Array.from({ length: shape.reduce((p, d) => p * d, 1) }, () =>
          toFloat16Bits((rnd() - 0.5) * scale),
        ),
        { dtype: float16 },
      ).reshape(shape);
    const flatten = new Flatten();
    const fc = new Linear(8 * 8 * 8, 10);
    fc.weight.data = half([10, 512], 0.1);
    fc.bias!.data = half([10], 1);
    const head = new Linear(8, 3);
    head.weight.data = half([3, 8], 1);
    head.bias!.data = half([3], 1);
    const net = (x: Tensor) => {
      const y = relu(conv.forward(x));
      return [
        fc.forward(flatten.forward(maxPool2d(y, 2, { stride: 2 }))),
        head.forward(flatten.forward(avgPool2d(y, 16))),
      ];
    };
    const x = randint(-128, 128, [2, 4, 16, 16], { dtype: int8 });
    const want = net(x);
    for (const m of [conv, fc, head]) m.to("wasm");
    const got = net(x.to("wasm"));
    expect(got.map((t) => [t.device.type, ...t.shape])).toEqual([
      ["wasm", 2, 10],
      ["wasm", 2, 3],
    ]);
    expect(bytes(got[0]!)).toEqual(bytes(want[0]!));
    expect(bytes(got[1]!)).toEqual(bytes(want[1]!));
    expect(new Set(Array.from(want[0]!.toTypedArray() as Uint16Array)).size).toBeGreaterThan(15);
  });
});
