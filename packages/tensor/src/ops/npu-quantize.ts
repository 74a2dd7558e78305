// npu_quantize: float32/float16 -> int8, uint8 or int32, with torch_npu's numerics
// (docs/semantics/npu-quantize.md). The meta function below is the op's only validation, in the
// order of the spec's section 3. Kernels: backend-*/src/kernels/npu-quantize.ts; the element
// arithmetic they share is numerics/quantize.ts.

import { float16, float32, int32, int8, uint8, type DType } from "../dtype.js";
import { float16BitsToNumber } from "../numerics/float16.js";
import { ArgumentError, describe } from "../errors.js";
import type { Tensor } from "../tensor.js";
import { defineOp } from "../dispatch/op.js";
import { dispatch1 } from "../dispatch/dispatch.js";
import type { QuantizeGeometry } from "../numerics/quantize.js";
import { expectDim, expectDType, expectTensor } from "./checks.js";

const OP = "npu_quantize";

export interface NpuQuantizeAttrs {
  /** The output dtype: int8, uint8 or int32 (divMode true), int8 (divMode false). */
  readonly dtype: DType;
  readonly axis: number;
  readonly divMode: boolean;
}

/** The channel axis as a non-negative index. divMode false: -2 is the second to last axis, anything above it the last (spec section 1). */
function channelAxis(rank: number, axis: number, divMode: boolean): number {
  if (divMode) return axis < 0 ? axis + rank : axis;
  return axis === -2 ? rank - 2 : rank - 1;
}

/** Step 3: the axis, then the scales' length against input.shape[axis]. */
function checkAxis(input: Tensor, scales: Tensor, a: NpuQuantizeAttrs): number {
  const rank = input.ndim;
  const { axis, divMode } = a;
  const valid = divMode
    ? axis >= -rank && axis <= rank - 1
    : axis >= -2 && (axis > -2 || rank >= 2);
  if (typeof axis !== "number" || !Number.isInteger(axis) || !valid) {
    const expected = divMode
      ? `an integer in [${-rank}, ${rank - 1}]`
      : `an integer >= -2 (-2 needs an input of rank >= 2; divMode false)`;
    throw new ArgumentError(OP, "axis", expected, describe(axis));
  }
  const channel = channelAxis(rank, axis, divMode);
  const channels = input.shape[channel]!;
  const len = scales.shape[0]!;
  if (len !== channels && len !== 1)
    throw new ArgumentError(
      OP,
      "scales",
      `length equal to input.shape[${channel}] (${channels}) or 1`,
      `length ${len}`,
    );
  return channel;
}

export const npuQuantizeOp = defineOp({
  name: OP,
  inputs: ["input", "scales", "zeroPoints?"],
  meta: ({ input: inputArg, scales: scalesArg, zeroPoints }, a: NpuQuantizeAttrs) => {
    // 1. input float32/float16 of rank >= 1; scales 1-D; zeroPoints 1-D when given
    const input = expectTensor(OP, "input", inputArg);
    expectDType(OP, "input", input, float32, float16);
    if (input.ndim < 1)
      throw new ArgumentError(OP, "input", "a tensor of rank >= 1", "a 0-D tensor");
    const scales = expectTensor(OP, "scales", scalesArg);
    expectDim(OP, "scales", scales, 1);
    if (zeroPoints) {
      expectTensor(OP, "zeroPoints", zeroPoints);
      expectDim(OP, "zeroPoints", zeroPoints, 1);
    }
    // 2. dtypes for the div mode; zeroPoints has the shape of scales
    if (typeof a.divMode !== "boolean")
      throw new ArgumentError(OP, "divMode", "true or false", describe(a.divMode));
    if (a.divMode) {
      expectDType(OP, "scales", scales, float32);
      if (zeroPoints) expectDType(OP, "zeroPoints", zeroPoints, int8, uint8, int32);
    } else {
      expectDType(OP, "scales", scales, float32, float16);
      if (zeroPoints && zeroPoints.dtype !== scales.dtype)
        throw new ArgumentError(
          OP,
          "zeroPoints",
          `of the dtype of scales (${scales.dtype.name}; divMode false)`,
          `dtype ${zeroPoints.dtype.name}`,
        );
    }
    if (zeroPoints && zeroPoints.shape[0] !== scales.shape[0])
      throw new ArgumentError(
        OP,
        "zeroPoints",
        `the shape of scales (${describe(scales.shape)})`,
        `shape ${describe(zeroPoints.shape)}`,
      );
    // 3. axis; scales' length
    const axis = checkAxis(input, scales, a);
    // 4. output dtype
    const allowed = a.divMode ? [int8, uint8, int32] : [int8];
    if (!allowed.includes(a.dtype))
      throw new ArgumentError(
        OP,
        "dtype",
        `${allowed.map((d) => d.name).join(" or ")}${a.divMode ? "" : " (divMode false)"}`,
        describe((a.dtype as DType | undefined)?.name ?? a.dtype),
      );
    const derived: QuantizeGeometry = {
      outer: input.shape.slice(0, axis).reduce((p, d) => p * d, 1),
      channels: input.shape[axis]!,
      inner: input.shape.slice(axis + 1).reduce((p, d) => p * d, 1),
      axis,
      perTensor: scales.shape[0] === 1,
    };
    return { outputs: [{ shape: [...input.shape], dtype: a.dtype }], derived };
  },
});

/** An operand's values in row-major order as numbers (float16 widened exactly): how kernels read them. */
export function quantizeOperandValues(t: Tensor): ArrayLike<number> {
  const raw = t.toTypedArray() as Float32Array | Uint16Array | Int8Array | Uint8Array | Int32Array;
  if (t.dtype !== float16) return raw;
  const out = new Float32Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = float16BitsToNumber(raw[i]!);
  return out;
}

export interface NpuQuantizeOptions {
  /** The channel axis (default 1); negative counts from the end. divMode false: -2 or the last. */
  readonly axis?: number;
  /** true (default): x * fround(1 / scale) + zeroPoint; false: x * scale + zeroPoint, int8 only. */
  readonly divMode?: boolean;
}

/**
 * torch_npu.npu_quantize: float32/float16 -> int8, uint8 or int32, per channel (scales of length
 * input.shape[axis]) or per tensor (length 1), rounding half to even and saturating.
 *
 * @example
 * const q = npuQuantize(x, tensor([0.05]), tensor([3], { dtype: int8 }), int8); // divMode true, axis 1
 */
export function npuQuantize(
  input: Tensor,
  scales: Tensor,
  zeroPoints: Tensor | null | undefined,
  dtype: DType,
  options: NpuQuantizeOptions = {},
): Tensor {
  const o = options ?? {};
  return dispatch1(
    npuQuantizeOp,
    { input, scales, zeroPoints: zeroPoints ?? null },
    { dtype, axis: o.axis ?? 1, divMode: o.divMode ?? true },
  );
}
