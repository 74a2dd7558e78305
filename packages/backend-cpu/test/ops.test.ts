// The cpu kernels of every op against hand-computed (torch-known) values, with broadcasting,
// type promotion, integer wrap-around, strided inputs and the meta functions' errors.

import { describe, expect, it, vi } from "vitest";
import "../src/index.js";
import {
  ArgumentError,
  Device,
  HostStorage,
  KernelNotFoundError,
  definedOps,
  findKernel,
  registerBackend,
  registerKernel,
  setFallback,
  Graph,
  type Tensor,
  allclose,
  arange,
  argmax,
  avgPool2d,
  bool,
  clamp,
  conv2d,
  eq,
  equal,
  float16,
  float32,
  float64,
  full,
  int16,
  int32,
  int64,
  int8,
  isclose,
  matmul,
  maxPool2d,
  mean,
  ones,
  rand,
  manualSeed,
  sum,
  tensor,
  uint8,
  where,
  zeros,
  type DType,
} from "@tsnpu/tensor";

const f = (values: number[] | number[][] | number[][][] | number, dtype: DType = float32) =>
  tensor(values, { dtype });
const list = (t: Tensor) => t.tolist();

describe("add, sub, mul, div", () => {
  it("compute elementwise with broadcasting", () => {
    const a = f([[1], [2]]);
    const b = f([10, 20, 30]);
    expect(list(a.add(b))).toEqual([
      [11, 21, 31],
      [12, 22, 32],
    ]);
    expect(list(a.sub(b))).toEqual([
      [-9, -19, -29],
      [-8, -18, -28],
    ]);
    expect(list(a.mul(b))).toEqual([
      [10, 20, 30],
      [20, 40, 60],
    ]);
    expect(list(b.div(f([[2], [4]])))).toEqual([
      [5, 10, 15],
      [2.5, 5, 7.5],
    ]);
    expect(a.add(b).shape).toEqual([2, 3]);
    expect(a.add(b).isContiguous()).toBe(true);
  });

  it("take alpha for add and sub", () => {
    expect(list(f([1, 2]).add(f([10, 20]), 2))).toEqual([21, 42]);
    expect(list(tensor([1, 2]).sub(tensor([10, 20]), 3))).toEqual([-29n, -58n]);
    expect(() => tensor([1]).add(tensor([1]), 0.5)).toThrow(ArgumentError);
    expect(list(tensor([1]).add(1.5, 2))).toEqual([4]);
  });

  it("promote like torch", () => {
    const i8 = tensor([1, 2], { dtype: int8 });
    expect(i8.add(tensor([1, 2], { dtype: int32 })).dtype).toBe(int32);
    expect(i8.add(5).dtype).toBe(int8);
    expect(i8.add(2.5).dtype).toBe(float32);
    expect(list(i8.add(2.5))).toEqual([3.5, 4.5]);
    expect(i8.add(tensor(7)).dtype).toBe(int8);
    expect(i8.add(tensor([1], { dtype: float16 })).dtype).toBe(float16);
    expect(tensor([1], { dtype: uint8 }).add(tensor([1], { dtype: int8 })).dtype).toBe(int16);
    expect(tensor([true]).add(5).dtype).toBe(int64);
    expect(f([1], float16).mul(f([2], float64)).dtype).toBe(float64);
    expect(tensor(1, { dtype: int32 }).mul(2.5).dtype).toBe(float32);
  });

  it("true division gives float32 for integers, with infinities and NaN", () => {
    const t = tensor([1, 2, 3, -1, 0]);
    const q = t.div(tensor([2, 2, 2, 0, 0]));
    expect(q.dtype).toBe(float32);
    expect(list(q)).toEqual([0.5, 1, 1.5, -Infinity, NaN]);
    expect(list(tensor([7], { dtype: int8 }).div(2))).toEqual([3.5]);
    expect(tensor([1], { dtype: float16 }).div(3).dtype).toBe(float16);
  });

  it("wrap integers like torch (int32 via Math.imul, int64 via BigInt)", () => {
    expect(list(tensor([2147483647], { dtype: int32 }).add(1))).toEqual([-2147483648]);
    expect(
      list(tensor([65536, 2147483647], { dtype: int32 }).mul(tensor([65536, 2], { dtype: int32 }))),
    ).toEqual([0, -2]);
    expect(list(tensor([127], { dtype: int8 }).add(1))).toEqual([-128]);
    expect(list(tensor([16], { dtype: int8 }).mul(16))).toEqual([0]);
    expect(list(tensor([0], { dtype: uint8 }).sub(1))).toEqual([255]);
    expect(list(tensor([9007199254740993n]).add(1))).toEqual([9007199254740994n]);
    expect(list(tensor([2n ** 62n]).mul(4))).toEqual([0n]);
    expect(list(tensor([3n]).mul(tensor([-(2n ** 40n)])))).toEqual([-3n * 2n ** 40n]);
  });

  it("refuse integral scalars that overflow the result dtype", () => {
    expect(() => tensor([1], { dtype: int8 }).add(300)).toThrow(/fits int8/);
    expect(() => tensor([1], { dtype: int32 }).mul(2 ** 31)).toThrow(ArgumentError);
  });

  it("round float16 results through float32", () => {
    const one = f([1, 2048], float16);
    expect(list(one.add(f([2 ** -11, 1], float16)))).toEqual([1, 2048]); // ties to even
    expect(list(one.add(f([3 * 2 ** -11, 3], float16)))).toEqual([1 + 2 ** -9, 2052]);
    expect(list(f([60000], float16).mul(2))).toEqual([Infinity]);
    expect(list(tensor([2049], { dtype: int64 }).add(f([0.5], float16)))).toEqual([2048]); // int64 -> float16 first
  });

  it("handle bools: add is or, mul is and; sub refuses two bools", () => {
    const a = tensor([true, true, false]);
    const b = tensor([true, false, false]);
    expect(list(a.add(b))).toEqual([true, true, false]);
    expect(a.add(b).dtype).toBe(bool);
    expect(list(a.mul(b))).toEqual([true, false, false]);
    expect(() => a.sub(b)).toThrow(/logical_xor/);
    expect(list(a.sub(1))).toEqual([0n, 0n, -1n]);
  });

  it("read strided and 0-d operands", () => {
    const t = arange(6, undefined, 1, { dtype: float32 }).reshape(2, 3);
    expect(list(t.transpose(0, 1).add(t.transpose(0, 1)))).toEqual([
      [0, 6],
      [2, 8],
      [4, 10],
    ]);
    expect(list(t.narrow(1, 1, 2).mul(f(10)))).toEqual([
      [10, 20],
      [40, 50],
    ]);
    expect(list(f(2).add(f(3)))).toEqual(5);
    expect(f(2).add(f(3)).shape).toEqual([]);
  });

  it("validate operands and shapes", () => {
    expect(() => f([1, 2]).add(f([1, 2, 3]))).toThrow(ArgumentError);
    expect(() => f([1]).add("x" as never)).toThrow(/a Tensor or a number/);
    expect(() => f([1]).add(f([1]).to("cpu"), NaN)).toThrow(ArgumentError);
  });
});

describe("neg, abs, relu, clamp", () => {
  it("compute in the input dtype", () => {
    expect(list(f([1, -2, 0]).neg())).toEqual([-1, 2, -0]);
    expect(list(tensor([-128, 5], { dtype: int8 }).neg())).toEqual([-128, -5]);
    expect(list(tensor([-3n, 4n]).abs())).toEqual([3n, 4n]);
    expect(list(tensor([-2147483648], { dtype: int32 }).abs())).toEqual([-2147483648]);
    expect(list(f([-1.5, 0, 2, NaN]).relu())).toEqual([0, 0, 2, NaN]);
    expect(list(tensor([-3, 4], { dtype: int8 }).relu())).toEqual([0, 4]);
    expect(f([-1], float16).abs().dtype).toBe(float16);
  });

  it("refuse bool tensors", () => {
    expect(() => tensor([true]).neg()).toThrow(/logical_not/);
    expect(() => tensor([true]).abs()).toThrow(ArgumentError);
    expect(() => tensor([true]).relu()).toThrow(ArgumentError);
  });

  it("clamp with one or two bounds, promoting for float bounds", () => {
    expect(list(f([-2, 0.5, 3, NaN]).clamp(-1, 1))).toEqual([-1, 0.5, 1, NaN]);
    expect(list(tensor([1, 5, 9]).clamp(3))).toEqual([3n, 5n, 9n]);
    expect(list(tensor([1, 5, 9]).clamp(null, 4))).toEqual([1n, 4n, 4n]);
    expect(list(clamp(tensor([1, 2, 3], { dtype: int8 }), 1.5))).toEqual([1.5, 2, 3]);
    expect(clamp(tensor([1], { dtype: int8 }), 1.5).dtype).toBe(float32);
    expect(list(f([0, 5]).clamp(3, 1))).toEqual([1, 1]); // min > max gives max, as torch
    expect(() => f([1]).clamp()).toThrow(/at least one bound/);
    expect(() => tensor([1], { dtype: int8 }).clamp(-1000)).toThrow(ArgumentError);
  });
});

describe("sum, mean, amax, amin, argmax", () => {
  const t = f([
    [1, 2, 3],
    [4, 5, 6],
  ]);

  it("reduce over all, one, several and negative dims, with keepdim", () => {
    expect(list(t.sum())).toBe(21);
    expect(t.sum().shape).toEqual([]);
    expect(list(t.sum(0))).toEqual([5, 7, 9]);
    expect(list(t.sum(-1, true))).toEqual([[6], [15]]);
    expect(list(t.sum([0, 1]))).toBe(21);
    expect(list(t.sum([]))).toBe(21);
    expect(list(t.mean(0))).toEqual([2.5, 3.5, 4.5]);
    expect(list(t.mean())).toBe(3.5);
    expect(list(t.amax(1))).toEqual([3, 6]);
    expect(list(t.amin(0, true))).toEqual([[1, 2, 3]]);
    const c = arange(24, undefined, 1, { dtype: float32 }).reshape(2, 3, 4);
    expect(list(c.sum([0, 2]))).toEqual([60, 92, 124]);
    expect(c.sum([2, 0], true).shape).toEqual([1, 3, 1]);
  });

  it("sum integers and bools to int64, exactly", () => {
    expect(tensor([1, 2], { dtype: int8 }).sum().dtype).toBe(int64);
    expect(list(tensor([100, 100], { dtype: int8 }).sum())).toBe(200n);
    expect(list(tensor([true, true, false]).sum())).toBe(2n);
    expect(list(tensor([2n ** 53n, 1n]).sum())).toBe(2n ** 53n + 1n);
    expect(f([1, 2], float16).sum().dtype).toBe(float16);
  });

  it("follow torch on NaN and empty inputs", () => {
    expect(list(f([1, NaN, 3]).amax())).toBeNaN();
    expect(list(f([1, NaN, 3]).amin())).toBeNaN();
    expect(list(zeros([0]).sum())).toBe(0);
    expect(list(zeros([0]).mean())).toBeNaN();
    expect(list(zeros([0, 3]).sum(0))).toEqual([0, 0, 0]);
    expect(zeros([0, 3]).amax(1).shape).toEqual([0]);
    expect(() => zeros([0, 3]).amax(0)).toThrow(ArgumentError);
    expect(() => zeros([0]).amax()).toThrow(ArgumentError);
  });

  it("keep dtypes for amax/amin, including int64 and bool", () => {
    expect(list(tensor([2n ** 60n + 1n, 2n ** 60n]).amax())).toBe(2n ** 60n + 1n);
    expect(list(tensor([true, false]).amax())).toBe(true);
    expect(tensor([1, 2], { dtype: int8 }).amin().dtype).toBe(int8);
  });

  it("argmax gives the first maximum (NaN first), int64", () => {
    expect(list(tensor([1, 3, 3, 2]).argmax())).toBe(1n);
    expect(argmax(f([1, NaN, 5, NaN])).item()).toBe(1n);
    expect(list(t.argmax(1))).toEqual([2n, 2n]);
    expect(
      list(
        argmax(
          f([
            [1, 9],
            [7, 2],
          ]),
          0,
          true,
        ),
      ),
    ).toEqual([[1n, 0n]]);
    expect(t.argmax(undefined, true).shape).toEqual([1, 1]);
    expect(t.argmax().dtype).toBe(int64);
    expect(list(tensor([-(2n ** 62n), 2n ** 62n + 1n, 2n ** 62n]).argmax())).toBe(1n);
    expect(() => tensor([true]).argmax()).toThrow(ArgumentError);
    expect(() => zeros([0]).argmax()).toThrow(ArgumentError);
  });

  it("read strided inputs", () => {
    expect(list(t.transpose(0, 1).sum(1))).toEqual([5, 7, 9]);
    expect(list(t.narrow(1, 1, 2).amax(0))).toEqual([5, 6]);
    expect(list(sum(f(4)))).toBe(4);
    expect(list(sum(f(4), 0))).toBe(4);
  });

  it("validate dims and dtypes", () => {
    expect(() => t.sum(2)).toThrow(ArgumentError);
    expect(() => t.sum([0, -2])).toThrow(/repeated/);
    expect(() => tensor([1, 2]).mean()).toThrow(/floating-point/);
    expect(() => mean(t, 0.5)).toThrow(ArgumentError);
  });
});

describe("eq, where, isclose, equal, allclose", () => {
  it("eq compares after promotion, broadcasting, NaN unequal", () => {
    expect(list(eq(f([1, 2, NaN]), f([1, 3, NaN])))).toEqual([true, false, false]);
    expect(eq(f([1]), f([1])).dtype).toBe(bool);
    expect(list(tensor([1, 2]).eq(f([1, 2.5])))).toEqual([true, false]);
    expect(list(tensor([[1], [2]]).eq(tensor([1, 2])))).toEqual([
      [true, false],
      [false, true],
    ]);
    expect(list(tensor([1, 2], { dtype: int8 }).eq(2))).toEqual([false, true]);
    expect(list(f([-0, 0.5], float16).eq(0))).toEqual([true, false]);
    expect(list(tensor([2n ** 60n + 1n]).eq(tensor([2n ** 60n])))).toEqual([false]);
    expect(list(eq(tensor([true, false]), true))).toEqual([true, false]);
  });

  it("where selects with three-way broadcasting and promotion", () => {
    const c = tensor([[true], [false]]);
    expect(list(where(c, f([1, 2]), f([10, 20])))).toEqual([
      [1, 2],
      [10, 20],
    ]);
    const w = where(tensor([true, false]), tensor([1, 2], { dtype: int8 }), 2.5);
    expect(w.dtype).toBe(float32);
    expect(list(w)).toEqual([1, 2.5]);
    expect(list(where(tensor([true, false]), 1, 0))).toEqual([1n, 0n]);
    expect(where(tensor([true]), tensor([1], { dtype: int8 }), 3).dtype).toBe(int8);
    expect(list(where(tensor([false, true]), f([1, 2], float16), f([0.5, 0.5], float16)))).toEqual([
      0.5, 2,
    ]);
    expect(() => where(tensor([1]), f([1]), f([2]))).toThrow(/bool/);
    expect(() => where(tensor([true, false]), f([1, 2, 3]), 0)).toThrow(ArgumentError);
  });

  it("isclose and allclose use |a - b| <= atol + rtol |b|", () => {
    expect(list(isclose(f([1, 1, Infinity, NaN]), f([1 + 1e-6, 1.1, Infinity, NaN])))).toEqual([
      true,
      false,
      true,
      false,
    ]);
    expect(list(isclose(f([NaN]), f([NaN]), 1e-5, 1e-8, true))).toEqual([true]);
    expect(allclose(f([1, 2]), f([1.000001, 2]))).toBe(true);
    expect(allclose(f([1, 2]), f([1.001, 2]))).toBe(false);
    expect(allclose(f([1, 2]), f([1.001, 2]), 1e-2)).toBe(true);
    expect(allclose(f([[1, 1]]), f([1]))).toBe(true);
    expect(allclose(f([1e-9]), f([0]))).toBe(true);
    expect(f([NaN]).allclose(f([NaN]))).toBe(false);
    expect(() => allclose(f([1]), f([1], float64))).toThrow(ArgumentError);
    expect(() => allclose(f([1]), f([1]), -1)).toThrow(ArgumentError);
  });

  it("equal needs the same shape and values", () => {
    expect(equal(f([1, 2]), f([1, 2]))).toBe(true);
    expect(f([1, 2]).equal(f([1, 3]))).toBe(false);
    expect(equal(f([1]), f([1, 1]))).toBe(false);
    expect(equal(f([[1, 2]]), f([1, 2]))).toBe(false);
    expect(equal(tensor([1, 2]), f([1, 2]))).toBe(true);
    expect(equal(f([NaN]), f([NaN]))).toBe(false);
    expect(equal(zeros([0]), zeros([0]))).toBe(true);
  });
});

describe("matmul", () => {
  const a = f([
    [1, 2, 3],
    [4, 5, 6],
  ]);
  const b = f([
    [7, 8],
    [9, 10],
    [11, 12],
  ]);

  it("multiplies matrices, vectors and dots", () => {
    expect(list(a.matmul(b))).toEqual([
      [58, 64],
      [139, 154],
    ]);
    expect(list(f([1, 2, 3]).matmul(f([4, 5, 6])))).toBe(32);
    expect(f([1, 2, 3]).matmul(f([4, 5, 6])).shape).toEqual([]);
    expect(list(a.matmul(f([1, 0, -1])))).toEqual([-2, -2]);
    expect(list(f([1, 1]).matmul(a))).toEqual([5, 7, 9]);
  });

  it("broadcasts batch dims", () => {
    const x = arange(2 * 1 * 2 * 3, undefined, 1, { dtype: float32 }).reshape(2, 1, 2, 3);
    const y = arange(4 * 3 * 2, undefined, 1, { dtype: float32 }).reshape(4, 3, 2);
    const out = x.matmul(y);
    expect(out.shape).toEqual([2, 4, 2, 2]);
    for (const [i, j] of [
      [0, 0],
      [1, 3],
      [0, 2],
    ] as const) {
      expect(list(out.select(0, i).select(0, j))).toEqual(
        list(x.select(0, i).select(0, 0).matmul(y.select(0, j))),
      );
    }
    expect(matmul(f([1, 2, 3]), y).shape).toEqual([4, 2]);
    expect(matmul(y.transpose(1, 2), f([1, 1, 1])).shape).toEqual([4, 2]);
  });

  it("reads transposed operands", () => {
    expect(list(b.transpose(0, 1).matmul(a.transpose(0, 1)))).toEqual([
      [58, 139],
      [64, 154],
    ]);
  });

  it("computes integers with wrap-around and int64 exactly", () => {
    expect(
      list(tensor([[65536]], { dtype: int32 }).matmul(tensor([[65536]], { dtype: int32 }))),
    ).toEqual([[0]]);
    expect(
      list(tensor([[100, 100]], { dtype: int8 }).matmul(tensor([[1], [1]], { dtype: int8 }))),
    ).toEqual([[-56]]);
    expect(list(tensor([[2n ** 53n, 1n]]).matmul(tensor([[1n], [1n]])))).toEqual([
      [2n ** 53n + 1n],
    ]);
    expect(f([[0.5]], float16).matmul(f([[2]], float16)).dtype).toBe(float16);
  });

  it("validates ranks, sizes and dtypes", () => {
    expect(() => a.matmul(a)).toThrow(ArgumentError);
    expect(() => f(1).matmul(a)).toThrow(/at least 1-D/);
    expect(() => a.matmul(tensor([[1], [2], [3]]))).toThrow(/dtype float32/);
    expect(() => tensor([[true]]).matmul(tensor([[true]]))).toThrow(ArgumentError);
    expect(() => zeros([2, 2, 3]).matmul(zeros([3, 3, 2]))).toThrow(ArgumentError);
  });
});

describe("conv2d", () => {
  const x = arange(16, undefined, 1, { dtype: float32 }).reshape(1, 1, 4, 4);
  const k2 = ones([1, 1, 2, 2]);

  it("slides the kernel with stride, padding and dilation", () => {
    expect(list(conv2d(x, k2).select(0, 0).select(0, 0))).toEqual([
      [10, 14, 18],
      [26, 30, 34],
      [42, 46, 50],
    ]);
    expect(list(conv2d(x, k2, null, { stride: 2 }).flatten())).toEqual([10, 18, 42, 50]);
    expect(list(conv2d(x, k2, null, { dilation: 2 }).flatten())).toEqual([20, 24, 36, 40]);
    expect(
      list(conv2d(ones([1, 1, 3, 3]), ones([1, 1, 3, 3]), null, { padding: 1 }).flatten()),
    ).toEqual([4, 6, 4, 6, 9, 6, 4, 6, 4]);
    expect(conv2d(x, k2, null, { stride: [1, 2], padding: [1, 0] }).shape).toEqual([1, 1, 5, 2]);
  });

  it("supports bias, groups, unbatched inputs and padding modes", () => {
    const two = tensor([[[[1]], [[2]]]], { dtype: float32 }).mul(ones([1, 2, 2, 2])); // ch0 = 1, ch1 = 2
    const w = f([3, 5]).reshape(2, 1, 1, 1);
    expect(list(conv2d(two, w, f([0.5, -1]), { groups: 2 }).amax([0, 2, 3]))).toEqual([3.5, 9]);
    expect(conv2d(x.select(0, 0), k2).shape).toEqual([1, 3, 3]);
    expect(conv2d(x, k2, null, { padding: "valid" }).shape).toEqual([1, 1, 3, 3]);
    const same = conv2d(arange(9, undefined, 1, { dtype: float32 }).reshape(1, 1, 3, 3), k2, null, {
      padding: "same",
    });
    expect(list(same.flatten())).toEqual([8, 12, 7, 20, 24, 13, 13, 15, 8]); // the extra pad goes right/bottom
  });

  it("accumulates float32 in float32, channel by channel, and stores NaN canonically (float-ops.md)", () => {
    // bias 1, then two products of 2^-24: each add rounds back to 1 in float32 (a float64 sum would give 1 + 2^-23).
    const tiny = 2 ** -24;
    const input = tensor([tiny, tiny], { dtype: float32 }).reshape(1, 2, 1, 1);
    const weight = ones([1, 2, 1, 1]);
    expect(conv2d(input, weight, f([1])).item()).toBe(1);
    expect(
      conv2d(input.to(float64), weight.to(float64), tensor([1], { dtype: float64 })).item(),
    ).toBe(1 + 2 ** -23);
    const inf = tensor([Infinity, -Infinity], { dtype: float32 }).reshape(1, 2, 1, 1);
    const bits = new Uint32Array(conv2d(inf, weight).toTypedArray().buffer);
    expect(bits[0]).toBe(0x7fc00000);
    expect(conv2d(inf.to(float16), weight.to(float16)).toTypedArray()[0]).toBe(0x7e00);
  });

  it("a 1x1 convolution equals a matmul over channels", () => {
    manualSeed(3);
    const input = rand([2, 3, 4, 5]);
    const weight = rand([6, 3, 1, 1]);
    const viaMatmul = weight
      .reshape(6, 3)
      .matmul(input.reshape(2, 3, 20))
      .reshape(2, 6, 4, 5);
    expect(allclose(conv2d(input, weight), viaMatmul)).toBe(true);
  });

  it("keeps float16 and float64", () => {
    expect(conv2d(x.to(float16), k2.to(float16)).dtype).toBe(float16);
    expect(list(conv2d(x.to(float64), k2.to(float64)).flatten().narrow(0, 0, 2))).toEqual([10, 14]);
  });

  it("validates shapes, dtypes and attributes", () => {
    expect(() => conv2d(x, ones([1, 2, 2, 2]))).toThrow(/channels/);
    expect(() => conv2d(x, k2.to(float64))).toThrow(/dtype float32/);
    expect(() => conv2d(tensor([[[[1]]]]), tensor([[[[1]]]]))).toThrow(/floating-point/);
    expect(() => conv2d(x, ones([1, 1, 5, 5]))).toThrow(/kernel/);
    expect(() => conv2d(x, k2, null, { padding: "same", stride: 2 })).toThrow(/stride/);
    expect(() => conv2d(x, k2, f([1, 2]))).toThrow(/bias/);
    expect(() => conv2d(ones([1, 2, 4, 4]), ones([3, 1, 2, 2]), null, { groups: 2 })).toThrow(
      /divisible/,
    );
    expect(() => conv2d(x, k2, null, { stride: 0 })).toThrow(ArgumentError);
    expect(() => conv2d(ones([4, 4]), k2)).toThrow(/3-D/);
  });
});

describe("maxPool2d, avgPool2d", () => {
  const x = arange(16, undefined, 1, { dtype: float32 }).reshape(1, 1, 4, 4);
  const x5 = arange(25, undefined, 1, { dtype: float32 }).reshape(1, 1, 5, 5);

  it("max pools with default stride, padding, dilation and ceil mode", () => {
    expect(list(maxPool2d(x, 2).flatten())).toEqual([5, 7, 13, 15]);
    expect(
      list(maxPool2d(x, 3, { stride: 1, padding: 1 }).select(0, 0).select(0, 0).select(0, 0)),
    ).toEqual([5, 6, 7, 7]);
    expect(list(maxPool2d(x, 2, { dilation: 2, stride: 1 }).flatten())).toEqual([10, 11, 14, 15]);
    expect(maxPool2d(x5, 2).shape).toEqual([1, 1, 2, 2]);
    expect(list(maxPool2d(x5, 2, { ceilMode: true }).flatten())).toEqual([
      6, 8, 9, 16, 18, 19, 21, 23, 24,
    ]);
    expect(maxPool2d(x.select(0, 0), [2, 4]).shape).toEqual([1, 2, 1]);
  });

  it("max pools integers exactly and propagates NaN", () => {
    expect(
      list(
        maxPool2d(
          tensor([
            [
              [1n, 2n ** 60n],
              [3n, 4n],
            ],
          ]),
          2,
        ),
      ),
    ).toEqual([[[2n ** 60n]]]);
    expect(
      maxPool2d(
        tensor(
          [
            [
              [1, 2],
              [3, 4],
            ],
          ],
          { dtype: int8 },
        ),
        2,
      ).dtype,
    ).toBe(int8);
    expect(
      list(
        maxPool2d(
          f([
            [
              [1, NaN],
              [3, 4],
            ],
          ]),
          2,
        ),
      ),
    ).toEqual([[[NaN]]]);
  });

  it("average pools with countIncludePad, ceilMode and divisorOverride", () => {
    expect(list(avgPool2d(x, 2).flatten())).toEqual([2.5, 4.5, 10.5, 12.5]);
    expect(list(avgPool2d(x5, 2, { ceilMode: true }).flatten())).toEqual([
      3, 5, 6.5, 13, 15, 16.5, 20.5, 22.5, 24,
    ]);
    const padded = avgPool2d(x, 3, { stride: 2, padding: 1 });
    expect(allclose(padded.flatten(), f([10 / 9, 24 / 9, 51 / 9, 90 / 9]))).toBe(true);
    expect(
      list(avgPool2d(x, 3, { stride: 2, padding: 1, countIncludePad: false }).flatten()),
    ).toEqual([2.5, 4, 8.5, 10]);
    expect(list(avgPool2d(x, 2, { divisorOverride: 2 }).flatten())).toEqual([5, 9, 21, 25]);
  });

  it("validates", () => {
    expect(() => maxPool2d(x, 2, { padding: 2 })).toThrow(/half the kernel/);
    expect(() => maxPool2d(x, 5)).toThrow(ArgumentError);
    expect(() => maxPool2d(tensor([[[true]]]), 1)).toThrow(ArgumentError);
    expect(() => avgPool2d(tensor([[[1]]]), 1)).toThrow(/floating-point/);
    expect(() => avgPool2d(x, 0)).toThrow(/kernelSize/);
    expect(() => avgPool2d(x, 2, { divisorOverride: 0 })).toThrow(ArgumentError);
  });
});

describe("graph tracing", () => {
  it("records the ops through their meta functions and replays them on the cpu", () => {
    const graph = Graph.trace(
      (input) =>
        input
          .add(1)
          .relu()
          .matmul(ones([3, 2]))
          .sum(1),
      [{ shape: [2, 3], dtype: float32, device: Device.of("cpu") }],
    );
    expect(graph.nodes.map((n) => n.op.name)).toEqual(["add", "relu", "matmul", "sum"]);
    expect(
      list(
        graph.run(
          f([
            [1, -5, 2],
            [0, 0, 0],
          ]),
        ) as Tensor,
      ),
    ).toEqual([10, 6]);
  });

  it("full with a float fills float32", () => {
    expect(full([2], 0.5).add(1).dtype).toBe(float32);
  });
});

describe("coverage and devices", () => {
  it("every defined op has a cpu kernel", () => {
    expect(definedOps().filter((op) => !findKernel(op, "cpu"))).toEqual([]);
  });

  it("other devices can fall back to these kernels through copies", () => {
    registerBackend({
      name: "fakecpu",
      allocate: (dtype, length) => new HostStorage(dtype, dtype.allocate(length)),
    });
    const a = f([1, 2]).to("fakecpu");
    expect(() => a.add(1)).toThrow(KernelNotFoundError);
    setFallback("fakecpu", "cpu");
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const out = a.add(1).mul(a);
    expect(out.device.type).toBe("fakecpu");
    expect(list(out)).toEqual([2, 6]);
    expect(String(out)).toBe("tensor([2., 6.], device='fakecpu:0')");
    expect(warn).toHaveBeenCalledTimes(2);
    warn.mockRestore();
  });

  it("a kernel that declines a call (supports) is treated as missing for it", () => {
    registerBackend({
      name: "halfcpu",
      allocate: (dtype, length) => new HostStorage(dtype, dtype.allocate(length)),
    });
    const cpuNeg = findKernel("neg", "cpu")!;
    registerKernel("neg", "halfcpu", {
      supports: (_inputs, [out]) => out.dtype === float32,
      run: cpuNeg.run,
    });
    expect(list(f([1, -2]).to("halfcpu").neg())).toEqual([-1, 2]);
    const ints = tensor([1, -2], { dtype: int32 }).to("halfcpu");
    expect(() => ints.neg()).toThrow(KernelNotFoundError);
    expect(() => ints.neg()).toThrow(
      'op "neg" has no kernel on backend "halfcpu" for int32 results (inputs: int32)',
    );
    setFallback("halfcpu", "cpu");
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    expect(list(ints.neg())).toEqual([-1, 2]);
    expect(warn).toHaveBeenCalledWith(
      expect.stringContaining("for int32 results; running it on the cpu"),
    );
    warn.mockRestore();
  });
});
