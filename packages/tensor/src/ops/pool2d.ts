// 2-D pooling, NCHW or unbatched (C, H, W), with torch.nn.functional's semantics:
// max_pool2d (padding counts as -inf, NaN propagates) and avg_pool2d (countIncludePad,
// divisorOverride). Kernels: reference/pool2d.ts (cpu, npu), backend-wasm/src/kernels/pool2d.ts.

import { bool } from "../dtype.js";
import { ArgumentError, describe } from "../errors.js";
import type { Tensor } from "../tensor.js";
import { defineOp, type MetaResult, type OpInputs } from "../dispatch/op.js";
import { dispatch1 } from "../dispatch/dispatch.js";
import { numel } from "../shape.js";
import { expectTensor } from "./checks.js";
import {
  expectImageBatch,
  expectSizePair,
  windowOutputSize,
  type Window2dGeometry,
} from "./spatial.js";

type IntOrPair = number | readonly [number, number];

export interface MaxPool2dOptions {
  /** Default: the kernel size. */
  readonly stride?: IntOrPair;
  /** At most half the kernel size; default 0. */
  readonly padding?: IntOrPair;
  /** Default 1. */
  readonly dilation?: IntOrPair;
  /** Round the output size up (a last partial window), default false. */
  readonly ceilMode?: boolean;
}

export interface AvgPool2dOptions {
  readonly stride?: IntOrPair;
  readonly padding?: IntOrPair;
  readonly ceilMode?: boolean;
  /** Whether padded zeros count in the divisor; default true. */
  readonly countIncludePad?: boolean;
  /** Divide every window by this instead. */
  readonly divisorOverride?: number | null;
}

export interface Pool2dAttrs {
  readonly kernelSize: unknown;
  readonly stride: unknown;
  readonly padding: unknown;
  readonly dilation: unknown;
  readonly ceilMode: boolean;
  /** avg_pool2d only. */
  readonly countIncludePad: boolean;
  readonly divisorOverride: number | null;
}

/** A validated call's geometry, for kernels. A 3-D input counts as n = 1. */
export interface Pool2dGeometry extends Window2dGeometry {
  /** N * C: every plane pools on its own. */
  readonly planes: number;
}

/** Validates the attributes against `input` and derives the output size. */
function pool2dGeometry(op: string, input: Tensor, a: Pool2dAttrs): Pool2dGeometry {
  expectImageBatch(op, input);
  const [h, w] = input.shape.slice(-2) as [number, number];
  const planes = numel(input.shape.slice(0, -2));
  const [kh, kw] = expectSizePair(op, "kernelSize", a.kernelSize, 1);
  const [strideH, strideW] =
    a.stride === null ? [kh, kw] : expectSizePair(op, "stride", a.stride, 1);
  const [padH, padW] = expectSizePair(op, "padding", a.padding, 0);
  const [dilationH, dilationW] = expectSizePair(op, "dilation", a.dilation, 1);
  if (typeof a.ceilMode !== "boolean")
    throw new ArgumentError(op, "ceilMode", "a boolean", describe(a.ceilMode));
  if (padH * 2 > kh || padW * 2 > kw) {
    throw new ArgumentError(
      op,
      "padding",
      `at most half the kernel size [${kh}, ${kw}]`,
      describe([padH, padW]),
    );
  }
  const hOut = windowOutputSize(h, kh, strideH, padH, padH, dilationH, a.ceilMode);
  const wOut = windowOutputSize(w, kw, strideW, padW, padW, dilationW, a.ceilMode);
  if (hOut <= 0 || wOut <= 0) {
    throw new ArgumentError(
      op,
      "input",
      `a padded size of at least the kernel [${dilationH * (kh - 1) + 1}, ${dilationW * (kw - 1) + 1}]`,
      `H, W = ${h}, ${w}`,
    );
  }
  return { planes, h, w, kh, kw, strideH, strideW, padH, padW, dilationH, dilationW, hOut, wOut };
}

const poolInputs = ["input"] as const;

function poolMeta(op: string, floatOnly: boolean) {
  return (
    { input: inputArg }: OpInputs<typeof poolInputs>,
    a: Pool2dAttrs,
  ): MetaResult<Pool2dGeometry> => {
    const input = expectTensor(op, "input", inputArg);
    if (floatOnly ? !input.dtype.isFloatingPoint : input.dtype === bool) {
      throw new ArgumentError(
        op,
        "input",
        floatOnly ? "a floating-point tensor" : "a numeric tensor",
        describe(input),
      );
    }
    const g = pool2dGeometry(op, input, a);
    if (
      a.divisorOverride !== null &&
      (typeof a.divisorOverride !== "number" ||
        !Number.isInteger(a.divisorOverride) ||
        a.divisorOverride === 0)
    ) {
      throw new ArgumentError(
        op,
        "divisorOverride",
        "a non-zero integer or null",
        describe(a.divisorOverride),
      );
    }
    return {
      outputs: [{ shape: [...input.shape.slice(0, -2), g.hOut, g.wOut], dtype: input.dtype }],
      derived: g,
    };
  };
}

export const maxPool2dOp = defineOp({
  name: "max_pool2d",
  inputs: poolInputs,
  meta: poolMeta("max_pool2d", false),
});
export const avgPool2dOp = defineOp({
  name: "avg_pool2d",
  inputs: poolInputs,
  meta: poolMeta("avg_pool2d", true),
});

/** torch.nn.functional.max_pool2d (without indices). */
export function maxPool2d(
  input: Tensor,
  kernelSize: IntOrPair,
  options: MaxPool2dOptions = {},
): Tensor {
  return dispatch1(
    maxPool2dOp,
    { input },
    {
      kernelSize,
      stride: options.stride ?? null,
      padding: options.padding ?? 0,
      dilation: options.dilation ?? 1,
      ceilMode: options.ceilMode ?? false,
      countIncludePad: true,
      divisorOverride: null,
    },
  );
}

/** torch.nn.functional.avg_pool2d. */
export function avgPool2d(
  input: Tensor,
  kernelSize: IntOrPair,
  options: AvgPool2dOptions = {},
): Tensor {
  return dispatch1(
    avgPool2dOp,
    { input },
    {
      kernelSize,
      stride: options.stride ?? null,
      padding: options.padding ?? 0,
      dilation: 1,
      ceilMode: options.ceilMode ?? false,
      countIncludePad: options.countIncludePad ?? true,
      divisorOverride: options.divisorOverride ?? null,
    },
  );
}
