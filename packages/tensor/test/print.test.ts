// formatTensor against torch's repr (default print options), one case per rule of _tensor_str.py.

import { describe, expect, it } from "vitest";
import {
  HostStorage,
  Tensor,
  arange,
  asStrided,
  bool,
  float16,
  float32,
  float64,
  int32,
  int64,
  int8,
  registerBackend,
  tensor,
  zeros,
  ones,
  Device,
} from "../src/index.js";

const repr = (t: Tensor) => String(t);

describe("formatTensor: integers and bools", () => {
  it("omits the default dtypes and names the others", () => {
    expect(repr(tensor([1, 2, 3]))).toBe("tensor([1, 2, 3])");
    expect(repr(tensor([1, 2, 3], { dtype: int8 }))).toBe("tensor([1, 2, 3], dtype=torch.int8)");
    expect(repr(tensor([true, false]))).toBe("tensor([ True, False])");
    expect(repr(tensor([-5, 10, 100], { dtype: int32 }))).toBe(
      "tensor([ -5,  10, 100], dtype=torch.int32)",
    );
  });

  it("prints int64 values beyond 2^53 exactly", () => {
    expect(repr(tensor([9007199254740993n, -1n]))).toBe(
      `tensor([9007199254740993, ${" ".repeat(14)}-1])`,
    );
  });

  it("prints 0-d tensors without brackets", () => {
    expect(repr(tensor(5))).toBe("tensor(5)");
    expect(repr(tensor(true))).toBe("tensor(True)");
    expect(repr(tensor(5, { dtype: int8 }))).toBe("tensor(5, dtype=torch.int8)");
  });

  it("nests rows with the bracket indentation and blank lines between blocks", () => {
    expect(
      repr(
        tensor([
          [1, 2],
          [3, 4],
        ]),
      ),
    ).toBe("tensor([[1, 2],\n        [3, 4]])");
    expect(repr(arange(8).reshape(2, 2, 2))).toBe(
      "tensor([[[0, 1],\n         [2, 3]],\n\n        [[4, 5],\n         [6, 7]]])",
    );
    expect(repr(arange(4).reshape(1, 2, 1, 2))).toBe("tensor([[[[0, 1]],\n\n         [[2, 3]]]])");
  });

  it("wraps 1-D rows at 80 characters", () => {
    const lines = repr(arange(100)).split("\n");
    expect(lines[0]).toBe(
      "tensor([ 0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11, 12, 13, 14, 15, 16, 17,",
    );
    expect(lines[1]).toBe(
      "        18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35,",
    );
    expect(lines.at(-1)).toBe("        90, 91, 92, 93, 94, 95, 96, 97, 98, 99])");
  });

  it("moves a suffix to its own line when the last line would pass 80 characters", () => {
    expect(repr(tensor(Array(6).fill(100000000), { dtype: int32 }))).toBe(
      "tensor([100000000, 100000000, 100000000, 100000000, 100000000, 100000000],\n       dtype=torch.int32)",
    );
  });

  it("summarises tensors of more than 1000 elements with 3 edge items", () => {
    expect(repr(arange(2000))).toBe("tensor([   0,    1,    2,  ..., 1997, 1998, 1999])");
    expect(repr(arange(2000).reshape(2, 1000))).toBe(
      "tensor([[   0,    1,    2,  ...,  997,  998,  999],\n        [1000, 1001, 1002,  ..., 1997, 1998, 1999]])",
    );
    expect(repr(arange(10000).reshape(100, 100))).toBe(
      [
        "tensor([[   0,    1,    2,  ...,   97,   98,   99],",
        "        [ 100,  101,  102,  ...,  197,  198,  199],",
        "        [ 200,  201,  202,  ...,  297,  298,  299],",
        "        ...,",
        "        [9700, 9701, 9702,  ..., 9797, 9798, 9799],",
        "        [9800, 9801, 9802,  ..., 9897, 9898, 9899],",
        "        [9900, 9901, 9902,  ..., 9997, 9998, 9999]])",
      ].join("\n"),
    );
  });

  it("separates summarised blocks of 3-D tensors with blank lines around the ellipsis", () => {
    const row = "[0., 0., 0.,  ..., 0., 0., 0.]";
    const block = [`        [${row},`, `         ${row}],`, ""];
    const lines = [...block, ...block, ...block, "        ...,", "", ...block, ...block, ...block];
    lines[0] = `tensor([[${row},`;
    lines[lines.length - 2] = `         ${row}]])`;
    expect(repr(zeros([8, 2, 100]))).toBe(lines.slice(0, -1).join("\n"));
  });

  it("does not print exactly 1000 elements summarised", () => {
    expect(repr(arange(1000))).not.toContain("...");
  });
});

describe("formatTensor: floats", () => {
  it("prints integral values as `1.`", () => {
    expect(repr(tensor([1, 2], { dtype: float32 }))).toBe("tensor([1., 2.])");
    expect(repr(arange(10, undefined, 1, { dtype: float32 }))).toBe(
      "tensor([0., 1., 2., 3., 4., 5., 6., 7., 8., 9.])",
    );
    expect(repr(tensor([-1, 10], { dtype: float32 }))).toBe("tensor([-1., 10.])");
    expect(repr(tensor([100, 1000], { dtype: float32 }))).toBe("tensor([ 100., 1000.])");
    expect(repr(tensor(5, { dtype: float32 }))).toBe("tensor(5.)");
    expect(repr(tensor([-0], { dtype: float32 }))).toBe("tensor([-0.])");
  });

  it("prints other values with 4 decimals, right-aligned", () => {
    expect(repr(tensor([1.5, 2.25]))).toBe("tensor([1.5000, 2.2500])");
    expect(repr(tensor([1.5, -12.25]))).toBe("tensor([  1.5000, -12.2500])");
    expect(repr(tensor(0.5))).toBe("tensor(0.5000)");
    expect(
      repr(
        tensor([
          [0.5, 1],
          [2, 3],
        ]),
      ),
    ).toBe("tensor([[0.5000, 1.0000],\n        [2.0000, 3.0000]])");
  });

  it("rounds half to even on the exact binary value, as Python's format", () => {
    expect(repr(tensor([0.03125, 1.5]))).toBe("tensor([0.0312, 1.5000])");
    expect(repr(tensor([0.09375, 1.5]))).toBe("tensor([0.0938, 1.5000])");
    // float32(0.1) is 0.100000001490116..., float32(2.675) is 2.67499995...
    expect(repr(tensor([0.1, 2.675]))).toBe("tensor([0.1000, 2.6750])");
  });

  it("switches to scientific notation on wide or tiny magnitudes", () => {
    expect(repr(tensor([1e-5, 1]))).toBe("tensor([1.0000e-05, 1.0000e+00])");
    expect(repr(tensor([-1e-5, 1]))).toBe("tensor([-1.0000e-05,  1.0000e+00])");
    expect(repr(tensor([1e10], { dtype: float32 }))).toBe("tensor([1.0000e+10])");
    expect(repr(tensor([1, 2000], { dtype: float32 }))).toBe("tensor([1.0000e+00, 2.0000e+03])");
    expect(repr(tensor([0.5, 1e9]))).toBe("tensor([5.0000e-01, 1.0000e+09])");
    // float32(1e-4) is just below 1e-4.
    expect(repr(tensor([0.0001]))).toBe("tensor([1.0000e-04])");
    expect(repr(tensor([1e-300, 1e300], { dtype: float64 }))).toBe(
      "tensor([1.0000e-300, 1.0000e+300], dtype=torch.float64)",
    );
    // 123445 = 1.23445e5 is a tie: half to even keeps 1.2344.
    expect(repr(tensor([1, 123445], { dtype: float32 }))).toBe("tensor([1.0000e+00, 1.2344e+05])");
  });

  it("prints nan and infinities, which do not count for the width", () => {
    expect(repr(tensor([NaN, Infinity, -Infinity, 1.5]))).toBe(
      "tensor([   nan,    inf,   -inf, 1.5000])",
    );
    expect(repr(tensor([1, NaN], { dtype: float32 }))).toBe("tensor([1., nan])");
    expect(repr(tensor([0, Infinity], { dtype: float32 }))).toBe("tensor([0., inf])");
    expect(repr(zeros([3]))).toBe("tensor([0., 0., 0.])");
  });

  it("prints float16 through its float values", () => {
    expect(repr(tensor([1, 0.5], { dtype: float16 }))).toBe(
      "tensor([1.0000, 0.5000], dtype=torch.float16)",
    );
    expect(repr(tensor([0.1], { dtype: float16 }))).toBe("tensor([0.1000], dtype=torch.float16)");
    expect(repr(tensor([65504, 70000], { dtype: float16 }))).toBe(
      "tensor([65504.,    inf], dtype=torch.float16)",
    );
    expect(repr(tensor(1, { dtype: float16 }))).toBe("tensor(1., dtype=torch.float16)");
  });

  it("computes the width over the shown values only", () => {
    const data = new Float32Array(2000).fill(1);
    data[1000] = 1e-6;
    expect(repr(tensor(data))).toBe("tensor([1., 1., 1.,  ..., 1., 1., 1.])");
  });

  it("prints strided views in logical order", () => {
    expect(repr(arange(6).reshape(2, 3).transpose(0, 1))).toBe(
      "tensor([[0, 3],\n        [1, 4],\n        [2, 5]])",
    );
  });
});

describe("formatTensor: empty, symbolic and device tensors", () => {
  it("prints empty tensors with their size and non-float32 dtype", () => {
    expect(repr(zeros([0]))).toBe("tensor([])");
    expect(repr(zeros([0, 3]))).toBe("tensor([], size=(0, 3))");
    expect(repr(zeros([0], { dtype: int64 }))).toBe("tensor([], dtype=torch.int64)");
    expect(repr(zeros([2, 0], { dtype: bool }))).toBe("tensor([], size=(2, 0), dtype=torch.bool)");
  });

  it("prints symbolic tensors without reading data", () => {
    const cpu = Device.of("cpu");
    expect(repr(Tensor.symbolic([1, 2], float32, cpu))).toBe("tensor(..., size=(1, 2))");
    expect(repr(Tensor.symbolic([3], int8, cpu))).toBe("tensor(..., size=(3,), dtype=torch.int8)");
    expect(repr(Tensor.symbolic([], float16, cpu))).toBe(
      "tensor(..., size=(), dtype=torch.float16)",
    );
  });

  it("names a non-cpu device before the dtype", () => {
    registerBackend({
      name: "testdev",
      allocate: (dtype, length) => new HostStorage(dtype, dtype.allocate(length)),
    });
    expect(repr(tensor([1, 2], { dtype: float16, device: "testdev:0" }))).toBe(
      "tensor([1., 2.], device='testdev:0', dtype=torch.float16)",
    );
    expect(repr(ones([2], { device: "testdev" }))).toBe("tensor([1., 1.], device='testdev:0')");
    expect(repr(Tensor.symbolic([2], int8, Device.of("testdev:0")))).toBe(
      "tensor(..., device='testdev:0', size=(2,), dtype=torch.int8)",
    );
  });
});

// Issue 12 defect 12: printing copied every element out first, so arange(1e7).toString() took
// seconds. A broadcast view of 2^33 elements over one stored value cannot even be copied out
// (more than the largest typed array): printing it works only if it reads just what it shows.
describe("printing reads only the elements it shows", () => {
  it("prints a 2^33-element broadcast view and strided views through their strides", () => {
    const huge = asStrided(tensor([1.5]), [2 ** 33], [0]);
    expect(huge.toString()).toBe("tensor([1.5000, 1.5000, 1.5000,  ..., 1.5000, 1.5000, 1.5000])");
    const grid = asStrided(tensor([7], { dtype: int8 }), [2 ** 20, 2 ** 20], [0, 0]);
    expect(grid.toString()).toBe(
      "tensor([[7, 7, 7,  ..., 7, 7, 7],\n        [7, 7, 7,  ..., 7, 7, 7],\n        [7, 7, 7,  ..., 7, 7, 7],\n        ...,\n" +
        "        [7, 7, 7,  ..., 7, 7, 7],\n        [7, 7, 7,  ..., 7, 7, 7],\n        [7, 7, 7,  ..., 7, 7, 7]], dtype=torch.int8)",
    );
    const t = arange(12).reshape(3, 4);
    expect(t.transpose(0, 1).narrow(0, 1, 2).toString()).toBe(
      "tensor([[ 1,  5,  9],\n        [ 2,  6, 10]])",
    );
  });
});
