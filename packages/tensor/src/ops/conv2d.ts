// conv2d: floating-point 2-D cross-correlation, NCHW, with torch.nn.functional.conv2d's
// semantics (stride, padding incl. "same"/"valid", dilation, groups, optional bias, unbatched
// (C, H, W) inputs). Kernels: backend-*/src/kernels/conv2d.ts.

import { ArgumentError, describe } from "../errors.js";
import type { Tensor } from "../tensor.js";
import { defineOp } from "../dispatch/op.js";
import { dispatch1 } from "../dispatch/dispatch.js";
import { expectDim, expectTensor } from "./checks.js";
import { expectImageBatch, expectSizePair, windowOutputSize } from "./spatial.js";

const OP = "conv2d";

export type Conv2dPadding = number | readonly [number, number] | "valid" | "same";

export interface Conv2dOptions {
  /** Default 1. */
  readonly stride?: number | readonly [number, number];
  /** Zeros added on both sides; "same" keeps H and W (stride 1 only); default 0. */
  readonly padding?: Conv2dPadding;
  /** Default 1. */
  readonly dilation?: number | readonly [number, number];
  /** Input and output channels split into this many independent groups; default 1. */
  readonly groups?: number;
}

export interface Conv2dAttrs {
  readonly stride: unknown;
  readonly padding: unknown;
  readonly dilation: unknown;
  readonly groups: unknown;
}

/** A validated call's geometry, for kernels. A 3-D input counts as n = 1. */
export interface Conv2dGeometry {
  readonly n: number;
  readonly cin: number;
  readonly h: number;
  readonly w: number;
  readonly cout: number;
  readonly kh: number;
  readonly kw: number;
  readonly groups: number;
  readonly strideH: number;
  readonly strideW: number;
  /** Padding before the first row / column ("same" may pad one more after). */
  readonly padTop: number;
  readonly padLeft: number;
  readonly dilationH: number;
  readonly dilationW: number;
  readonly hOut: number;
  readonly wOut: number;
}

/** Validates the geometry of a call (shapes and attributes) and derives the output size. */
function conv2dGeometry(input: Tensor, weight: Tensor, a: Conv2dAttrs): Conv2dGeometry {
  const batched = expectImageBatch(OP, input);
  expectDim(OP, "weight", weight, 4, "a 4-D tensor (Cout, Cin / groups, kH, kW)");
  const [n, cin, h, w] = (batched ? input.shape : [1, ...input.shape]) as [
    number,
    number,
    number,
    number,
  ];
  const [cout, cinPerGroup, kh, kw] = weight.shape as [number, number, number, number];
  const groups = a.groups;
  if (typeof groups !== "number" || !Number.isInteger(groups) || groups < 1)
    throw new ArgumentError(OP, "groups", "an integer >= 1", describe(groups));
  if (cinPerGroup * groups !== cin) {
    throw new ArgumentError(
      OP,
      "input",
      `${cinPerGroup * groups} channels (weight's Cin / groups = ${cinPerGroup} times groups = ${groups})`,
      `${cin} channels (shape ${describe(input.shape)})`,
    );
  }
  if (cout % groups !== 0)
    throw new ArgumentError(OP, "weight", `Cout divisible by groups (${groups})`, `Cout = ${cout}`);
  const [strideH, strideW] = expectSizePair(OP, "stride", a.stride, 1);
  const [dilationH, dilationW] = expectSizePair(OP, "dilation", a.dilation, 1);
  let pads: [number, number, number, number]; // top, bottom, left, right
  if (a.padding === "valid") pads = [0, 0, 0, 0];
  else if (a.padding === "same") {
    if (strideH !== 1 || strideW !== 1)
      throw new ArgumentError(
        OP,
        "padding",
        'numbers when stride is not 1 ("same" needs stride 1)',
        '"same"',
      );
    const th = dilationH * (kh - 1);
    const tw = dilationW * (kw - 1);
    pads = [th >> 1, th - (th >> 1), tw >> 1, tw - (tw >> 1)];
  } else {
    const [ph, pw] = expectSizePair(OP, "padding", a.padding, 0);
    pads = [ph, ph, pw, pw];
  }
  const hOut = windowOutputSize(h, kh, strideH, pads[0], pads[1], dilationH);
  const wOut = windowOutputSize(w, kw, strideW, pads[2], pads[3], dilationW);
  if (hOut <= 0 || wOut <= 0) {
    throw new ArgumentError(
      OP,
      "input",
      `a padded size of at least the dilated kernel [${dilationH * (kh - 1) + 1}, ${dilationW * (kw - 1) + 1}]`,
      `H, W = ${h}, ${w} with padding ${describe(pads)}`,
    );
  }
  return {
    n,
    cin,
    h,
    w,
    cout,
    kh,
    kw,
    groups,
    strideH,
    strideW,
    padTop: pads[0],
    padLeft: pads[2],
    dilationH,
    dilationW,
    hOut,
    wOut,
  };
}

export const conv2dOp = defineOp({
  name: OP,
  inputs: ["input", "weight", "bias?"],
  meta: ({ input: inputArg, weight: weightArg, bias: biasArg }, a: Conv2dAttrs) => {
    const input = expectTensor(OP, "input", inputArg);
    const weight = expectTensor(OP, "weight", weightArg);
    if (!input.dtype.isFloatingPoint)
      throw new ArgumentError(OP, "input", "a floating-point tensor", describe(input));
    if (weight.dtype !== input.dtype)
      throw new ArgumentError(
        OP,
        "weight",
        `of dtype ${input.dtype.name} (the input's)`,
        `dtype ${weight.dtype.name}`,
      );
    const g = conv2dGeometry(input, weight, a);
    if (biasArg) {
      const bias = expectTensor(OP, "bias", biasArg);
      expectDim(OP, "bias", bias, 1, `a 1-D tensor (Cout = ${g.cout},)`);
      if (bias.shape[0] !== g.cout)
        throw new ArgumentError(
          OP,
          "bias",
          `length ${g.cout} (weight's Cout)`,
          `length ${bias.shape[0]}`,
        );
      if (bias.dtype !== input.dtype)
        throw new ArgumentError(
          OP,
          "bias",
          `of dtype ${input.dtype.name} (the input's)`,
          `dtype ${bias.dtype.name}`,
        );
    }
    const spatial = [g.cout, g.hOut, g.wOut];
    return {
      outputs: [{ shape: input.ndim === 4 ? [g.n, ...spatial] : spatial, dtype: input.dtype }],
      derived: g,
    };
  },
});

/**
 * torch.nn.functional.conv2d: `input` (N, Cin, H, W) or (Cin, H, W), `weight`
 * (Cout, Cin / groups, kH, kW), optional `bias` (Cout,).
 *
 * @example
 * conv2d(x, w, b, { stride: 2, padding: 1 });
 */
export function conv2d(
  input: Tensor,
  weight: Tensor,
  bias?: Tensor | null,
  options: Conv2dOptions = {},
): Tensor {
  return dispatch1(
    conv2dOp,
    { input, weight, bias: bias ?? null },
    {
      stride: options.stride ?? 1,
      padding: options.padding ?? 0,
      dilation: options.dilation ?? 1,
      groups: options.groups ?? 1,
    },
  );
}
