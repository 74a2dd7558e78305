// Creation functions infer dtypes like torch and convert values with torch's casts.

import { describe, expect, it } from "vitest";
import {
  ArgumentError,
  OutOfMemoryError,
  arange,
  bool,
  empty,
  float16,
  float32,
  float64,
  full,
  int32,
  int64,
  int8,
  manualSeed,
  ones,
  rand,
  randint,
  randn,
  tensor,
  uint8,
  zeros,
} from "../src/index.js";

describe("tensor()", () => {
  it("infers bool, int64 or float32", () => {
    expect(tensor([true, false]).dtype).toBe(bool);
    expect(tensor([1, 2]).dtype).toBe(int64);
    expect(tensor([1, 2.5]).dtype).toBe(float32);
    expect(tensor([[1n], [2n]]).dtype).toBe(int64);
    expect(tensor(3).shape).toEqual([]);
    expect(tensor([]).dtype).toBe(float32);
  });

  it("casts to a requested dtype like torch (truncate, round to nearest even)", () => {
    expect(tensor([1.9, -1.9, 127.5, -128.9], { dtype: int8 }).tolist()).toEqual([
      1, -1, 127, -128,
    ]);
    expect(tensor([-1], { dtype: uint8 }).tolist()).toEqual([255]);
    expect(tensor([1, 0, 2], { dtype: bool }).tolist()).toEqual([true, false, true]);
    expect(tensor([0.1], { dtype: float16 }).toTypedArray()).toEqual(new Uint16Array([0x2e66]));
    expect(tensor([2 ** 53 + 1], { dtype: int64 }).item()).toBe(2n ** 53n);
  });

  it("keeps a typed array's dtype, and reads Uint16Array as float16 bits", () => {
    expect(tensor(new Int32Array([1, 2])).dtype).toBe(int32);
    expect(tensor(new Float64Array([1.5])).dtype).toBe(float64);
    expect(tensor(new Uint16Array([0x3c00]), { dtype: float16 }).item()).toBe(1);
    expect(() => tensor(new Uint16Array([1]))).toThrow(ArgumentError);
  });

  it("writes a Float32Array as float16 with the cast's bits (ties, subnormals, overflow, NaN)", () => {
    const values = Float32Array.from([
      1 + 2 ** -11, // a tie: rounds to even (1)
      1 + 3 * 2 ** -11, // a tie: rounds up
      2 ** -20, // subnormal in float16
      65520, // rounds to infinity
      -0,
      Number.NaN,
      0.1,
      -70000,
    ]);
    const direct = tensor(values, { dtype: float16 });
    expect(direct.dtype).toBe(float16);
    expect(direct.toTypedArray()).toEqual(tensor(values).to(float16).toTypedArray());
    // the caller's array is copied, not shared
    const source = Float32Array.from([1, 2]);
    const t = tensor(source, { dtype: float16 });
    source[0] = 5;
    expect(t.tolist()).toEqual([1, 2]);
  });

  it("refuses ragged or non-numeric input", () => {
    expect(() => tensor([[1, 2], [3]])).toThrow(ArgumentError);
    expect(() => tensor(["a" as never])).toThrow(ArgumentError);
  });
});

describe("zeros, ones, full, empty, arange", () => {
  it("default to float32 (full infers from its value)", () => {
    expect(zeros([2, 3]).dtype).toBe(float32);
    expect(ones([2]).dtype).toBe(float32);
    expect(ones([2]).tolist()).toEqual([1, 1]);
    expect(empty([2]).dtype).toBe(float32);
    expect(full([2], 7).dtype).toBe(int64);
    expect(full([2], 0.5).tolist()).toEqual([0.5, 0.5]);
    expect(full([1], true).dtype).toBe(bool);
    expect(ones([2], { dtype: int8 }).dtype).toBe(int8);
  });

  it("arange: int64 for integers, float32 otherwise, end exclusive", () => {
    expect(arange(4).tolist()).toEqual([0n, 1n, 2n, 3n]);
    expect(arange(1, 7, 2).tolist()).toEqual([1n, 3n, 5n]);
    expect(arange(0, 1, 0.25).tolist()).toEqual([0, 0.25, 0.5, 0.75]);
    expect(arange(5, 0, -2).tolist()).toEqual([5n, 3n, 1n]);
    expect(arange(0).numel()).toBe(0);
    expect(() => arange(0, 1, 0)).toThrow(ArgumentError);
  });

  it("rejects bad shapes", () => {
    expect(() => zeros([-1])).toThrow(ArgumentError);
    expect(() => zeros([1.5])).toThrow(ArgumentError);
  });
});

describe("random creation", () => {
  it("is deterministic after manualSeed and in range", () => {
    manualSeed(1);
    const a = rand([100]).tolist() as number[];
    manualSeed(1);
    expect(rand([100]).tolist()).toEqual(a);
    expect(a.every((x) => x >= 0 && x < 1)).toBe(true);
    const r = randint(-3, 3, [200]).tolist() as bigint[];
    expect(r.every((x) => x >= -3n && x < 3n)).toBe(true);
    expect(new Set(r).size).toBe(6);
    expect(randn([2, 2], { dtype: float16 }).dtype).toBe(float16);
    expect(() => rand([2], { dtype: int32 })).toThrow(ArgumentError);
    expect(() => randint(3, 3, [1])).toThrow(ArgumentError);
  });
});

// Issue 12 defect 9: torch raises where a value does not fit the dtype; tsnpu used to wrap it.
describe("values out of a dtype's range", () => {
  const argumentOf = (f: () => unknown): string | null => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(ArgumentError);
      return (e as ArgumentError).argument;
    }
    return null;
  };

  it("tensor() raises for integers that overflow and for NaN or infinity into an integer dtype", () => {
    expect(argumentOf(() => tensor([300, -200], { dtype: int8 }))).toBe("values");
    expect(argumentOf(() => tensor([Number.NaN], { dtype: int32 }))).toBe("values");
    expect(argumentOf(() => tensor([Number.POSITIVE_INFINITY], { dtype: int64 }))).toBe("values");
    expect(argumentOf(() => tensor([2 ** 31], { dtype: int32 }))).toBe("values");
    expect(argumentOf(() => tensor([2n ** 63n], { dtype: int64 }))).toBe("values");
    expect(argumentOf(() => tensor([256], { dtype: uint8 }))).toBe("values");
    expect(() => tensor([300], { dtype: int8 })).toThrow(/int8 \(\[-128, 127\]\).*300/);
    // The edges fit; uint8 takes negatives down to -255 as torch's checked conversion does.
    expect(tensor([-128, 127], { dtype: int8 }).tolist()).toEqual([-128, 127]);
    expect(tensor([-(2n ** 63n), 2n ** 63n - 1n], { dtype: int64 }).tolist()).toEqual([
      -(2n ** 63n),
      2n ** 63n - 1n,
    ]);
    expect(tensor([-1, -255], { dtype: uint8 }).tolist()).toEqual([255, 1]);
    expect(tensor([Number.NaN, 1e6]).dtype).toBe(float32); // floats hold them
  });

  it("randint raises when [low, high) does not fit the dtype; full() when the value does not", () => {
    expect(argumentOf(() => randint(0, 1000, [4], { dtype: int8 }))).toBe("high");
    expect(argumentOf(() => randint(-200, 0, [4], { dtype: int8 }))).toBe("low");
    expect(randint(-128, 128, [64], { dtype: int8 }).dtype).toBe(int8);
    expect(argumentOf(() => full([2], 300, { dtype: int8 }))).toBe("value");
    expect(argumentOf(() => full([2], Number.NaN, { dtype: int32 }))).toBe("value");
  });
});

// Issue 12 defect 8: allocations beyond the JS engine's limit used to throw a RangeError.
describe("allocations too large for the engine", () => {
  it("zeros([1e9, 1e9]) throws an OutOfMemoryError naming the op, the size asked for and the limit", () => {
    try {
      zeros([1e9, 1e9]);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(OutOfMemoryError);
      const oom = e as OutOfMemoryError;
      expect(oom.op).toBe("zeros");
      expect(oom.requestedBytes).toBe(4e18);
      expect(oom.limitBytes).toBe(2 ** 32 * 4);
      expect(oom.message).toMatch(
        /zeros: cannot allocate 4000000000000000000 bytes: the limit is 17179869184 bytes/,
      );
    }
    expect(() => full([2 ** 20, 2 ** 20], 1, { dtype: int8 })).toThrow(OutOfMemoryError);
  });
});
