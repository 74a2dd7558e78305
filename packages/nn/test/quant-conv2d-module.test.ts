// QuantConv2d's construction checks and the op's validation order (spec sections 1-2). No
// kernel runs here: every error below is thrown by a constructor or a meta function.
import { describe, expect, it } from "vitest";
import {
  ArgumentError,
  float16,
  float32,
  int32,
  int64,
  int8,
  npuQuantConv2d,
  zeros,
  type Tensor,
} from "@tsnpu/tensor";
import { QuantConv2d } from "../src/index.js";

const t = (shape: number[], dtype = int8) => zeros(shape, { dtype });

describe("QuantConv2d construction", () => {
  it("creates the parameters of torch_npu's module", () => {
    const m = new QuantConv2d(3, 8, [3, 5], float16, { offset: true });
    expect([...m.weight.shape]).toEqual([8, 3, 3, 5]);
    expect(m.weight.dtype).toBe(int8);
    expect(m.scale.dtype).toBe(int64);
    expect(m.bias!.dtype).toBe(int32);
    expect(m.offset!.dtype).toBe(float32);
    expect(Object.keys(m.stateDict())).toEqual(["weight", "scale", "bias", "offset"]);
    expect(new QuantConv2d(3, 8, 3, float16, { bias: false }).bias).toBeNull();
  });

  it("prints like torch", () => {
    expect(new QuantConv2d(1, 1, [3, 3], float16).toString()).toBe(
      "QuantConv2d(1, 1, kernel_size=(3, 3), stride=(1, 1), output_dtype=torch.float16)",
    );
  });

  it.each([
    [() => new QuantConv2d(1, 1, 0, float16), /kernelSize must be an integer in \[1, 255\].*got 0/],
    [() => new QuantConv2d(1, 1, [3, 256], float16), /kernelSize .*got \[3, 256\]/],
    [
      () => new QuantConv2d(1, 1, 3, float16, { stride: 64 }),
      /stride must be an integer in \[1, 63\]/,
    ],
    [
      () => new QuantConv2d(1, 1, 3, float16, { padding: -1 }),
      /padding must be an integer in \[0, 255\]/,
    ],
    [
      () => new QuantConv2d(1, 1, 3, float16, { dilation: [1, 0] }),
      /dilation must be an integer in \[1, 255\]/,
    ],
    [
      () => new QuantConv2d(1, 1, 3, float16, { groups: 2 }),
      /groups must be an integer in \[1, 1\], but got 2/,
    ],
    [
      () => new QuantConv2d(1, 1, 3, float16, { offsetX: 128 }),
      /offsetX must be an integer in \[-128, 127\], but got 128/,
    ],
    [
      () => new QuantConv2d(1, 1, 3, float16, { roundMode: "round" as "rint" }),
      /roundMode must be "rint", but got "round"/,
    ],
    [() => new QuantConv2d(1, 1, 3, float32), /outputDtype must be float16, but got "float32"/],
    [() => new QuantConv2d(0, 1, 3, float16), /inChannels must be a positive integer, but got 0/],
  ])("refuses bad arguments with an ArgumentError (%#)", (make, message) => {
    expect(make).toThrow(ArgumentError);
    expect(make).toThrow(message);
  });
});

describe("npu_quant_conv2d validation order (spec section 2)", () => {
  const ok = { input: t([1, 2, 5, 5]), weight: t([4, 2, 3, 3]), scale: t([4], int64) };
  const call = (o: Partial<typeof ok> & { opts?: object }) => () =>
    npuQuantConv2d(o.input ?? ok.input, o.weight ?? ok.weight, o.scale ?? ok.scale, {
      outputDtype: float16,
      ...o.opts,
    });

  it.each<[string, () => Tensor, RegExp]>([
    [
      "input rank",
      call({ input: t([2, 5, 5]) }),
      /input must be a 4-D tensor \(N, C, H, W\), but got a 3-D tensor of shape \[2, 5, 5\]/,
    ],
    ["weight rank", call({ weight: t([4, 2, 3]) }), /weight must be a 4-D tensor/],
    ["scale rank", call({ scale: t([1, 4], int64) }), /scale must be a 1-D tensor \(Cout,\)/],
    [
      "channels",
      call({ input: t([1, 3, 5, 5]) }),
      /input must be C equal to weight's Cin \(2\), but got C = 3/,
    ],
    [
      "scale length",
      call({ scale: t([3], int64) }),
      /scale must be length equal to weight's Cout \(4\), but got length 3/,
    ],
    [
      "input dtype",
      call({ input: t([1, 2, 5, 5], int32) }),
      /input must be of dtype int8, but got dtype int32/,
    ],
    ["weight dtype", call({ weight: t([4, 2, 3, 3], float32) }), /weight must be of dtype int8/],
    [
      "float32 scale",
      call({ scale: t([4], float32) }),
      /scale must be of dtype int64 \(convert float32 scales with npuTransQuantParam\)/,
    ],
    [
      "output dtype",
      call({ opts: { outputDtype: float32 } }),
      /outputDtype must be float16, but got "float32"/,
    ],
    ["bias rank", call({ opts: { bias: t([1, 4], int32) } }), /bias must be a 1-D tensor/],
    [
      "bias dtype",
      call({ opts: { bias: t([4], int64) } }),
      /bias must be of dtype int32, but got dtype int64/,
    ],
    [
      "bias length",
      call({ opts: { bias: t([5], int32) } }),
      /bias must be length equal to weight's Cout \(4\), but got length 5/,
    ],
    [
      "strides entries",
      call({ opts: { strides: [1] } }),
      /strides must be 2 integers \[h, w\], but got \[1\]/,
    ],
    [
      "pads sign",
      call({ opts: { pads: [0, -1] } }),
      /pads must be non-negative, but got \[0, -1\]/,
    ],
    ["strides sign", call({ opts: { strides: [0, 1] } }), /strides must be positive/],
    ["dilations sign", call({ opts: { dilations: [1, 0] } }), /dilations must be positive/],
    ["groups", call({ opts: { groups: 2 } }), /groups must be an integer in \[1, 1\], but got 2/],
    [
      "offsetX",
      call({ opts: { offsetX: -129 } }),
      /offsetX must be an integer in \[-128, 127\], but got -129/,
    ],
    [
      "roundMode",
      call({ opts: { roundMode: "floor" } }),
      /roundMode must be "rint", but got "floor"/,
    ],
    ["output size", call({ input: t([1, 2, 2, 2]) }), /output 0 x 0/],
  ])("%s", (_name, run, message) => {
    expect(run).toThrow(ArgumentError);
    expect(run).toThrow(message);
  });

  it("checks ranks before dtypes, and dtypes before bias and attributes", () => {
    expect(call({ input: t([2, 5, 5], int32) })).toThrow(/input must be a 4-D tensor/);
    expect(
      call({ input: t([1, 2, 5, 5], int32), opts: { bias: t([5], int32), pads: [-1, 0] } }),
    ).toThrow(/input must be of dtype int8/);
    expect(call({ opts: { bias: t([5], int32), pads: [-1, 0] } })).toThrow(/bias must be length/);
  });

  it("exposes the argument in the error object", () => {
    try {
      call({ opts: { offsetX: 200 } })();
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ArgumentError);
      expect((e as ArgumentError).argument).toBe("offsetX");
      expect((e as ArgumentError).op).toBe("npu_quant_conv2d");
      expect((e as ArgumentError).received).toBe("200");
    }
  });
});
