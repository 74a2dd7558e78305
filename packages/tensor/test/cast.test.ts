// Casts between every pair of dtypes follow torch (values written out by hand from torch 2.x).
import { describe, expect, it } from "vitest";
import {
  bool,
  float16,
  float32,
  float64,
  int16,
  int32,
  int64,
  int8,
  tensor,
  uint8,
} from "../src/index.js";

describe("cast", () => {
  it("integers and bools to float16 encode the value, not the bits", () => {
    expect(tensor([2, -1, 4, 5], { dtype: int8 }).to(float16).tolist()).toEqual([2, -1, 4, 5]);
    expect(tensor([255, 0], { dtype: uint8 }).to(float16).tolist()).toEqual([255, 0]);
    expect(tensor([70000, -3], { dtype: int32 }).to(float16).tolist()).toEqual([Infinity, -3]);
    expect(tensor([2049n, 65519n, 65520n], { dtype: int64 }).to(float16).tolist()).toEqual([
      2048,
      65504,
      Infinity,
    ]);
    expect(tensor([true, false]).to(float16).tolist()).toEqual([1, 0]);
    expect([...(tensor([1], { dtype: int16 }).to(float16).toTypedArray() as Uint16Array)]).toEqual([
      0x3c00,
    ]);
  });
  it("float64 to float16 rounds through float32 (torch's Half(float(x)))", () => {
    // 1 + 2^-11 + 2^-40: float32 rounds it to 1 + 2^-11 (a float16 tie), which goes to even: 1.
    expect(
      tensor([1 + 2 ** -11 + 2 ** -40], { dtype: float64 })
        .to(float16)
        .tolist(),
    ).toEqual([1]);
  });
  it("float16 to integers truncates toward zero and wraps", () => {
    expect(tensor([2.75, -2.75, 300], { dtype: float32 }).to(float16).to(int8).tolist()).toEqual([
      2, -2, 44,
    ]);
    expect(tensor([-1.5], { dtype: float16 }).to(int64).tolist()).toEqual([-1n]);
  });
  it("anything to bool is != 0 (NaN is true)", () => {
    expect(tensor([0, 0.5, NaN], { dtype: float32 }).to(bool).tolist()).toEqual([
      false,
      true,
      true,
    ]);
    expect(tensor([0, -3], { dtype: int8 }).to(bool).tolist()).toEqual([false, true]);
  });
});
