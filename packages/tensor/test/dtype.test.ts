// dtypes, torch's promotion lattice and result_type with scalars / 0-d tensors.

import { describe, expect, it } from "vitest";
import {
  bool,
  dtypes,
  float16,
  float32,
  float64,
  int16,
  int32,
  int64,
  int8,
  promoteTypes,
  resultType,
  tensor,
  uint8,
} from "../src/index.js";

describe("dtypes", () => {
  it("print like torch and know their storage", () => {
    expect(String(float16)).toBe("torch.float16");
    expect(float16.arrayType).toBe(Uint16Array);
    expect(int64.arrayType).toBe(BigInt64Array);
    expect(Object.keys(dtypes)).toHaveLength(9);
    expect([float16.itemSize, int64.itemSize, bool.itemSize]).toEqual([2, 8, 1]);
    expect(float32.isFloatingPoint && !int8.isFloatingPoint).toBe(true);
    expect(uint8.isSigned || bool.isSigned).toBe(false);
  });
});

describe("promoteTypes (tensor with tensor)", () => {
  const cases: [typeof int8, typeof int8, typeof int8][] = [
    [int8, int8, int8],
    [uint8, int8, int16],
    [int8, uint8, int16],
    [uint8, int16, int16],
    [int32, int64, int64],
    [bool, int8, int8],
    [bool, uint8, uint8],
    [int64, float16, float16],
    [float16, float32, float32],
    [float32, float64, float64],
    [bool, float16, float16],
  ];
  it.each(cases)("%s with %s -> %s", (a, b, out) => {
    expect(promoteTypes(a, b)).toBe(out);
    expect(promoteTypes(b, a)).toBe(out);
  });
});

describe("resultType (torch.result_type)", () => {
  const i8 = tensor([1], { dtype: int8 });
  const f16 = tensor([1], { dtype: float16 });
  const b = tensor([true]);
  it("a JS number does not widen within its category", () => {
    expect(resultType(i8, 5)).toBe(int8);
    expect(resultType(i8, 300)).toBe(int8);
    expect(resultType(f16, 2.5)).toBe(float16);
    expect(resultType(tensor([1], { dtype: uint8 }), -1)).toBe(uint8);
  });
  it("a number of a higher category promotes to the default dtype of that category", () => {
    expect(resultType(i8, 2.5)).toBe(float32);
    expect(resultType(b, 5)).toBe(int64);
    expect(resultType(b, 5n)).toBe(int64);
    expect(resultType(b, true)).toBe(bool);
    expect(resultType(i8, true)).toBe(int8);
  });
  it("0-d tensors rank between dimensioned tensors and numbers", () => {
    expect(resultType(i8, tensor(5))).toBe(int8);
    expect(resultType(f16, tensor(5, { dtype: float64 }))).toBe(float16);
    expect(resultType(i8, tensor(5, { dtype: float64 }))).toBe(float64);
    expect(resultType(tensor(1, { dtype: int32 }), 2.5)).toBe(float32);
    expect(resultType(tensor(1, { dtype: int32 }), tensor(1, { dtype: int8 }))).toBe(int32);
  });
  it("two dimensioned tensors use promoteTypes", () => {
    expect(resultType(i8, tensor([1], { dtype: int32 }))).toBe(int32);
    expect(resultType(i8, f16)).toBe(float16);
  });
});
