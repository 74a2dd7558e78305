// npu_quant_conv2d: int8 convolution with int32 accumulation, bias, and dequantisation to
// float16, with torch_npu's semantics. The meta function below is the op's only validation:
// docs/semantics/quant-conv2d.md section 2, in that order. Kernels: backend-*/src/kernels/npu-quant-conv2d.ts.

import { float16, int32, int64, int8, float32, type DType } from "../dtype.js";
import { ArgumentError, describe } from "../errors.js";
import type { Tensor } from "../tensor.js";
import { defineOp } from "../dispatch/op.js";
import { dispatch1 } from "../dispatch/dispatch.js";
import type { QuantConv2dGeometry } from "../numerics/quant.js";
import { expectDim, expectDType, expectIntInRange, expectPair, expectTensor } from "./checks.js";
import { convOutputSize } from "./spatial.js";

const OP = "npu_quant_conv2d";

export type RoundMode = "rint";

export interface NpuQuantConv2dAttrs {
  readonly strides: readonly number[];
  readonly pads: readonly number[];
  readonly dilations: readonly number[];
  readonly groups: number;
  readonly offsetX: number;
  readonly roundMode: string;
  readonly outputDtype: DType | undefined;
}

/** A QuantConv2d geometry from its sizes and attributes: hOut and wOut follow from them. */
export function quantConv2dGeometry(
  d: Omit<QuantConv2dGeometry, "hOut" | "wOut">,
): QuantConv2dGeometry {
  return {
    ...d,
    hOut: convOutputSize(d.h, d.kh, d.strideH, d.padH, d.dilationH),
    wOut: convOutputSize(d.w, d.kw, d.strideW, d.padW, d.dilationW),
  };
}

/** The geometry of a call whose shapes and attributes are valid: what every kernel works from. */
function geometryOfCall(
  input: Tensor,
  weight: Tensor,
  a: NpuQuantConv2dAttrs,
): QuantConv2dGeometry {
  const [n, cin, h, w] = input.shape as [number, number, number, number];
  const [cout, , kh, kw] = weight.shape as [number, number, number, number];
  const [strideH, strideW] = a.strides as [number, number];
  const [padH, padW] = a.pads as [number, number];
  const [dilationH, dilationW] = a.dilations as [number, number];
  return quantConv2dGeometry({
    n,
    cin,
    h,
    w,
    cout,
    kh,
    kw,
    strideH,
    strideW,
    padH,
    padW,
    dilationH,
    dilationW,
    offsetX: a.offsetX,
  });
}

// The checks of spec section 2 that need no tensor. The meta function runs them on every call
// (in the spec's order); nn's QuantConv2d constructor runs the same ones, so that a bad module
// fails when it is built.

/** The output dtype must be float16 (step 2). */
export function checkQuantConv2dOutputDtype(op: string, outputDtype: DType | undefined): void {
  if (outputDtype !== float16)
    throw new ArgumentError(
      op,
      "outputDtype",
      "float16",
      describe(outputDtype?.name ?? outputDtype),
    );
}

/** groups, offsetX and roundMode (step 4). */
export function checkQuantConv2dAttrs(
  op: string,
  a: Pick<NpuQuantConv2dAttrs, "groups" | "offsetX" | "roundMode">,
): void {
  expectIntInRange(op, "groups", a.groups, 1, 1);
  expectIntInRange(op, "offsetX", a.offsetX, -128, 127);
  if (a.roundMode !== "rint")
    throw new ArgumentError(op, "roundMode", '"rint"', describe(a.roundMode));
}

export const npuQuantConv2dOp = defineOp({
  name: OP,
  inputs: ["input", "weight", "scale", "bias?", "offset?"],
  meta: (
    { input: inputArg, weight: weightArg, scale: scaleArg, bias, offset },
    a: NpuQuantConv2dAttrs,
  ) => {
    // 1. ranks and matching sizes
    const input = expectTensor(OP, "input", inputArg);
    const weight = expectTensor(OP, "weight", weightArg);
    const scale = expectTensor(OP, "scale", scaleArg);
    expectDim(OP, "input", input, 4, "a 4-D tensor (N, C, H, W)");
    expectDim(OP, "weight", weight, 4, "a 4-D tensor (Cout, Cin, kH, kW)");
    expectDim(OP, "scale", scale, 1, "a 1-D tensor (Cout,)");
    const [cout] = weight.shape as [number];
    if (input.shape[1] !== weight.shape[1]) {
      throw new ArgumentError(
        OP,
        "input",
        `C equal to weight's Cin (${weight.shape[1]})`,
        `C = ${input.shape[1]} (shape ${describe(input.shape)})`,
      );
    }
    if (scale.shape[0] !== cout)
      throw new ArgumentError(
        OP,
        "scale",
        `length equal to weight's Cout (${cout})`,
        `length ${scale.shape[0]}`,
      );
    // 2. dtypes
    expectDType(OP, "input", input, int8);
    expectDType(OP, "weight", weight, int8);
    if (scale.dtype === float32) {
      throw new ArgumentError(
        OP,
        "scale",
        "of dtype int64 (convert float32 scales with npuTransQuantParam)",
        "dtype float32",
      );
    }
    expectDType(OP, "scale", scale, int64);
    checkQuantConv2dOutputDtype(OP, a.outputDtype);
    // 3. bias (and the reserved offset)
    if (bias) {
      expectTensor(OP, "bias", bias);
      expectDim(OP, "bias", bias, 1, "a 1-D tensor (Cout,)");
      expectDType(OP, "bias", bias, int32);
      if (bias.shape[0] !== cout)
        throw new ArgumentError(
          OP,
          "bias",
          `length equal to weight's Cout (${cout})`,
          `length ${bias.shape[0]}`,
        );
    }
    if (offset) {
      expectTensor(OP, "offset", offset);
      expectDim(OP, "offset", offset, 1, "a 1-D tensor (Cout,)");
      expectDType(OP, "offset", offset, float32);
      if (offset.shape[0] !== cout)
        throw new ArgumentError(
          OP,
          "offset",
          `length equal to weight's Cout (${cout})`,
          `length ${offset.shape[0]}`,
        );
    }
    // 4. attributes
    const strides = expectPair(OP, "strides", a.strides);
    const pads = expectPair(OP, "pads", a.pads);
    const dilations = expectPair(OP, "dilations", a.dilations);
    if (pads.some((p) => p < 0))
      throw new ArgumentError(OP, "pads", "non-negative", describe(pads));
    if (strides.some((s) => s <= 0))
      throw new ArgumentError(OP, "strides", "positive", describe(strides));
    if (dilations.some((d) => d <= 0))
      throw new ArgumentError(OP, "dilations", "positive", describe(dilations));
    checkQuantConv2dAttrs(OP, a);
    // 5. output size
    const g = geometryOfCall(input, weight, a);
    if (g.hOut <= 0 || g.wOut <= 0) {
      throw new ArgumentError(
        OP,
        "input",
        `a spatial size that gives a positive output for kernel [${g.kh}, ${g.kw}], strides ${describe(strides)}, pads ${describe(pads)}, dilations ${describe(dilations)}`,
        `H, W = ${g.h}, ${g.w} (output ${g.hOut} x ${g.wOut})`,
      );
    }
    return { outputs: [{ shape: [g.n, g.cout, g.hOut, g.wOut], dtype: float16 }], derived: g };
  },
});

export interface NpuQuantConv2dOptions {
  /** Must be float16 (the only output the op supports). */
  readonly outputDtype: DType;
  /** [h, w]; default [1, 1]. */
  readonly strides?: readonly [number, number];
  /** [h, w]; default [0, 0]. */
  readonly pads?: readonly [number, number];
  /** [h, w]; default [1, 1]. */
  readonly dilations?: readonly [number, number];
  /** Must be 1. */
  readonly groups?: number;
  /** The value padded cells hold, in [-128, 127]; default 0. */
  readonly offsetX?: number;
  /** Must be "rint" (reserved). */
  readonly roundMode?: RoundMode;
  /** int32 (Cout,), added to the int32 accumulator. */
  readonly bias?: Tensor | null;
  /** float32 (Cout,): reserved, unused for float16 output. */
  readonly offset?: Tensor | null;
}

/**
 * torch_npu.npu_quant_conv2d: `float16(float32(conv(input, weight) + bias) * scale)`, with int32
 * wrap-around, padded cells holding `offsetX`, and `scale` in the int64 form of
 * {@link npuTransQuantParam}.
 *
 * @example
 * const y = npuQuantConv2d(x, w, npuTransQuantParam(s), { outputDtype: float16, pads: [1, 1], bias: b });
 */
export function npuQuantConv2d(
  input: Tensor,
  weight: Tensor,
  scale: Tensor,
  options: NpuQuantConv2dOptions,
): Tensor {
  const o = options ?? ({} as NpuQuantConv2dOptions);
  return dispatch1(
    npuQuantConv2dOp,
    { input, weight, scale, bias: o.bias ?? null, offset: o.offset ?? null },
    {
      strides: o.strides ?? [1, 1],
      pads: o.pads ?? [0, 0],
      dilations: o.dilations ?? [1, 1],
      groups: o.groups ?? 1,
      offsetX: o.offsetX ?? 0,
      roundMode: o.roundMode ?? "rint",
      outputDtype: o.outputDtype,
    },
  );
}
