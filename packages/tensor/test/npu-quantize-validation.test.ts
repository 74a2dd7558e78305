// npuQuantize's meta function: every rule of docs/semantics/npu-quantize.md section 3, in that
// order, each an ArgumentError naming the argument, what was expected and what came. These run
// before any kernel, so no backend is needed.
import { describe, expect, it } from "vitest";
import {
  ArgumentError,
  float16,
  float32,
  int16,
  int32,
  int64,
  int8,
  npuQuantize,
  tensor,
  uint8,
  zeros,
  type DType,
  type Tensor,
} from "../src/index.js";

const x = (shape: number[] = [2, 3, 4], dtype: DType = float32) => zeros(shape, { dtype });
const s = (n = 3, dtype: DType = float32) => zeros([n], { dtype });
const zp = (n = 3, dtype: DType = int8) => zeros([n], { dtype });

type Call = () => Tensor;
const rows: [string, Call, string, string][] = [
  // 1. input float32/float16 of rank >= 1; scales 1-D; zeroPoints 1-D
  [
    "input not a tensor",
    () => npuQuantize([1] as never, s(), null, int8),
    "input",
    "input must be a Tensor, but got [1]",
  ],
  [
    "input int8",
    () => npuQuantize(x([2, 3], int8), s(), null, int8),
    "input",
    "input must be of dtype float32 or float16, but got dtype int8",
  ],
  [
    "input 0-D",
    () => npuQuantize(x([]), s(1), null, int8),
    "input",
    "input must be a tensor of rank >= 1, but got a 0-D tensor",
  ],
  [
    "scales not a tensor",
    () => npuQuantize(x(), 0.5 as never, null, int8),
    "scales",
    "scales must be a Tensor, but got 0.5",
  ],
  [
    "scales 2-D",
    () => npuQuantize(x(), zeros([1, 3]), null, int8),
    "scales",
    "scales must be a 1-D tensor, but got a 2-D tensor of shape [1, 3]",
  ],
  [
    "zeroPoints 2-D",
    () => npuQuantize(x(), s(), zeros([3, 1], { dtype: int8 }), int8),
    "zeroPoints",
    "zeroPoints must be a 1-D tensor, but got a 2-D tensor of shape [3, 1]",
  ],
  // 2. dtypes per div mode; zeroPoints shape
  [
    "divMode not boolean",
    () => npuQuantize(x(), s(), null, int8, { divMode: 1 as never }),
    "divMode",
    "divMode must be true or false, but got 1",
  ],
  [
    "scales float16 (divMode true)",
    () => npuQuantize(x(), s(3, float16), null, int8),
    "scales",
    "scales must be of dtype float32, but got dtype float16",
  ],
  [
    "zeroPoints float32 (divMode true)",
    () => npuQuantize(x(), s(), s(), int8),
    "zeroPoints",
    "zeroPoints must be of dtype int8 or uint8 or int32, but got dtype float32",
  ],
  [
    "zeroPoints int16 (divMode true)",
    () => npuQuantize(x(), s(), zp(3, int16), int8),
    "zeroPoints",
    "zeroPoints must be of dtype int8 or uint8 or int32, but got dtype int16",
  ],
  [
    "scales int64 (divMode false)",
    () => npuQuantize(x(), s(4, int64), null, int8, { divMode: false, axis: -1 }),
    "scales",
    "scales must be of dtype float32 or float16, but got dtype int64",
  ],
  [
    "zeroPoints int8 (divMode false)",
    () => npuQuantize(x(), s(4), zp(4), int8, { divMode: false, axis: -1 }),
    "zeroPoints",
    "zeroPoints must be of the dtype of scales (float32; divMode false), but got dtype int8",
  ],
  [
    "zeroPoints float16 with float32 scales (divMode false)",
    () => npuQuantize(x(), s(4), s(4, float16), int8, { divMode: false }),
    "zeroPoints",
    "zeroPoints must be of the dtype of scales (float32; divMode false), but got dtype float16",
  ],
  [
    "zeroPoints length",
    () => npuQuantize(x(), s(3), zp(1), int8),
    "zeroPoints",
    "zeroPoints must be the shape of scales ([3]), but got shape [1]",
  ],
  // 3. axis; scales' length
  [
    "axis 3 of rank 3",
    () => npuQuantize(x(), s(), null, int8, { axis: 3 }),
    "axis",
    "axis must be an integer in [-3, 2], but got 3",
  ],
  [
    "axis -4 of rank 3",
    () => npuQuantize(x(), s(), null, int8, { axis: -4 }),
    "axis",
    "axis must be an integer in [-3, 2], but got -4",
  ],
  [
    "axis 1.5",
    () => npuQuantize(x(), s(), null, int8, { axis: 1.5 }),
    "axis",
    "axis must be an integer in [-3, 2], but got 1.5",
  ],
  [
    "axis -3 (divMode false)",
    () => npuQuantize(x(), s(4), null, int8, { divMode: false, axis: -3 }),
    "axis",
    "axis must be an integer >= -2 (-2 needs an input of rank >= 2; divMode false), but got -3",
  ],
  [
    "axis -2 of rank 1 (divMode false)",
    () => npuQuantize(x([4]), s(4), null, int8, { divMode: false, axis: -2 }),
    "axis",
    "axis must be an integer >= -2 (-2 needs an input of rank >= 2; divMode false), but got -2",
  ],
  [
    "scales length",
    () => npuQuantize(x(), s(4), null, int8),
    "scales",
    "scales must be length equal to input.shape[1] (3) or 1, but got length 4",
  ],
  [
    "scales length (divMode false: last axis)",
    () => npuQuantize(x(), s(3), null, int8, { divMode: false, axis: 1 }),
    "scales",
    "scales must be length equal to input.shape[2] (4) or 1, but got length 3",
  ],
  // 4. output dtype
  [
    "dtype float16",
    () => npuQuantize(x(), s(), null, float16),
    "dtype",
    'dtype must be int8 or uint8 or int32, but got "float16"',
  ],
  [
    "dtype missing",
    () => npuQuantize(x(), s(), null, undefined as never),
    "dtype",
    "dtype must be int8 or uint8 or int32, but got undefined",
  ],
  [
    "dtype uint8 (divMode false)",
    () => npuQuantize(x(), s(4), null, uint8, { divMode: false, axis: -1 }),
    "dtype",
    'dtype must be int8 (divMode false), but got "uint8"',
  ],
];

describe("npuQuantize validation (spec section 3)", () => {
  for (const [label, call, argument, message] of rows) {
    it(label, () => {
      let error: unknown;
      try {
        call();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ArgumentError);
      expect((error as ArgumentError).argument).toBe(argument);
      expect((error as ArgumentError).message).toBe(`npu_quantize: ${message}`);
    });
  }

  it("checks in the spec's order: a bad input dtype wins over bad scales, axis and dtype", () => {
    expect(() => npuQuantize(x([2], int32), zeros([1, 1]), null, float16, { axis: 9 })).toThrow(
      /input must be of dtype/,
    );
    expect(() => npuQuantize(x(), s(3, float16), null, float16, { axis: 9 })).toThrow(
      /scales must be of dtype float32/,
    );
    expect(() => npuQuantize(x(), s(7), null, float16, { axis: 9 })).toThrow(/axis must be/);
    expect(() => npuQuantize(x(), s(7), null, float16)).toThrow(/scales must be length/);
  });

  it("accepts per-tensor scales, scales of 0, and every output dtype (the meta function alone)", () => {
    for (const dtype of [int8, uint8, int32])
      expect(() =>
        npuQuantize(x(), tensor([0], { dtype: float32 }), zp(1, uint8), dtype),
      ).not.toThrow(ArgumentError);
  });
});
