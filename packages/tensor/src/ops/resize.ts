// resize: ONNX Resize's nearest and (n-)linear modes over any dims (torch's F.interpolate with
// nearest, linear or bilinear is the special case of the spatial dims). One device-agnostic
// kernel computes every device's result, so the bits agree everywhere: nearest copies raw
// elements; linear sums the 2^k corner terms (k = interpolated dims) in binary64 in a fixed
// order and rounds once to float32 (then float16).

import { float16, float32 } from "../dtype.js";
import { ArgumentError, describe } from "../errors.js";
import { readNumber } from "../numerics/elements.js";
import { toFloat16Bits } from "../numerics/float16.js";
import { contiguousStrides, numel } from "../shape.js";
import { Tensor } from "../tensor.js";
import { defineOp } from "../dispatch/op.js";
import { ANY_BACKEND, registerKernel } from "../dispatch/registry.js";
import { dispatch1 } from "../dispatch/dispatch.js";
import { expectTensor } from "./checks.js";

export const resizeModes = ["nearest", "linear"] as const;
export const coordinateTransformationModes = [
  "half_pixel",
  "pytorch_half_pixel",
  "align_corners",
  "asymmetric",
  "tf_half_pixel_for_nn",
] as const;
export const nearestModes = ["round_prefer_floor", "round_prefer_ceil", "floor", "ceil"] as const;

export interface ResizeAttrs {
  /** The output size of every dim. */
  readonly size: readonly number[];
  /** Per dim, the scale the coordinate transform divides by; default size / input size. */
  readonly scales?: readonly number[] | null;
  readonly mode: (typeof resizeModes)[number];
  readonly coordinateTransformationMode: (typeof coordinateTransformationModes)[number];
  /** nearest mode only. */
  readonly nearestMode: (typeof nearestModes)[number];
}

/** Per dim and output index: the two source indices and the second one's weight. */
export interface ResizeAxis {
  readonly i0: Int32Array;
  readonly i1: Int32Array;
  readonly w1: Float64Array;
  /** Every w1 is 0: the dim only gathers. */
  readonly gather: boolean;
}

/** ONNX's source coordinate of output index i (Resize, get_original_coordinate). */
function sourceCoordinate(
  mode: ResizeAttrs["coordinateTransformationMode"],
  i: number,
  scale: number,
  inSize: number,
  outSize: number,
): number {
  switch (mode) {
    case "half_pixel":
      return (i + 0.5) / scale - 0.5;
    case "pytorch_half_pixel":
      return outSize > 1 ? (i + 0.5) / scale - 0.5 : 0;
    case "align_corners":
      return outSize === 1 ? 0 : (i * (inSize - 1)) / (outSize - 1);
    case "asymmetric":
      return i / scale;
    case "tf_half_pixel_for_nn":
      return (i + 0.5) / scale;
  }
}

function roundNearest(mode: ResizeAttrs["nearestMode"], x: number): number {
  const f = Math.floor(x);
  const tie = x - f === 0.5;
  switch (mode) {
    case "round_prefer_floor":
      return tie ? f : Math.round(x);
    case "round_prefer_ceil":
      return tie ? f + 1 : Math.round(x);
    case "floor":
      return f;
    case "ceil":
      return Math.ceil(x);
  }
}

function planAxis(a: ResizeAttrs, inSize: number, outSize: number, scale: number): ResizeAxis {
  const i0 = new Int32Array(outSize);
  const i1 = new Int32Array(outSize);
  const w1 = new Float64Array(outSize);
  const clampIndex = (v: number) => Math.min(Math.max(v, 0), inSize - 1);
  for (let i = 0; i < outSize; i++) {
    const x = sourceCoordinate(a.coordinateTransformationMode, i, scale, inSize, outSize);
    if (a.mode === "nearest") {
      i0[i] = i1[i] = clampIndex(roundNearest(a.nearestMode, x));
      continue;
    }
    const c = Math.min(Math.max(x, 0), inSize - 1);
    const f = Math.floor(c);
    i0[i] = f;
    i1[i] = Math.min(f + 1, inSize - 1);
    w1[i] = i1[i] === f ? 0 : c - f;
  }
  return { i0, i1, w1, gather: w1.every((w) => w === 0) };
}

function oneOf<T extends string>(arg: string, value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T))
    throw new ArgumentError("resize", arg, `one of ${allowed.join(", ")}`, describe(value));
  return value as T;
}

export const resizeOp = defineOp({
  name: "resize",
  inputs: ["self"],
  meta: ({ self: selfArg }, a: ResizeAttrs) => {
    const self = expectTensor("resize", "self", selfArg);
    oneOf("mode", a.mode, resizeModes);
    oneOf("coordinateTransformationMode", a.coordinateTransformationMode, [
      ...coordinateTransformationModes,
    ]);
    oneOf("nearestMode", a.nearestMode, nearestModes);
    if (a.mode === "linear" && self.dtype !== float16 && self.dtype !== float32)
      throw new ArgumentError(
        "resize",
        "self",
        "a float16 or float32 tensor (linear mode)",
        `dtype ${self.dtype.name}`,
      );
    const size = a.size;
    if (
      !Array.isArray(size) ||
      size.length !== self.ndim ||
      !size.every((s) => Number.isInteger(s) && s >= 0)
    )
      throw new ArgumentError(
        "resize",
        "size",
        `${self.ndim} integers >= 0 (one per dim)`,
        describe(size),
      );
    const scales = a.scales ?? size.map((s, d) => s / self.shape[d]!);
    if (
      !Array.isArray(scales) ||
      scales.length !== self.ndim ||
      !scales.every((s) => typeof s === "number" && s > 0 && Number.isFinite(s))
    )
      throw new ArgumentError(
        "resize",
        "scales",
        `${self.ndim} finite numbers > 0 (one per dim)`,
        describe(a.scales),
      );
    const empty = self.shape.findIndex((s, d) => s === 0 && size[d]! > 0);
    if (empty >= 0)
      throw new ArgumentError(
        "resize",
        "self",
        `a non-empty dim ${empty} (output size ${size[empty]})`,
        describe(self.shape),
      );
    const axes = self.shape.map((s, d) => planAxis(a, s, size[d]!, scales[d]!));
    return { outputs: [{ shape: [...size], dtype: self.dtype }], derived: axes };
  },
});

registerKernel(resizeOp, ANY_BACKEND, {
  run: ({ self }, { mode }, [spec], axes) => {
    const out = Tensor.forOutput(spec.shape, spec.dtype, self.device);
    const data = out.storage.data;
    const total = numel(spec.shape);
    if (total === 0) return [out];
    const src = self.toTypedArray();
    const inStrides = contiguousStrides(self.shape);
    const nd = spec.shape.length;
    const idx = new Array<number>(nd).fill(0);
    // Dims that interpolate: their corner (0 or 1) is one bit of the corner number.
    const lerp = axes.flatMap((ax, d) => (mode === "linear" && !ax.gather ? [d] : []));
    const corners = 1 << lerp.length;
    const dtype = self.dtype;
    for (let k = 0; k < total; k++) {
      let base = 0;
      for (let d = 0; d < nd; d++) base += axes[d]!.i0[idx[d]!]! * inStrides[d]!;
      if (lerp.length === 0) data[k] = src[base]!;
      else {
        let acc = 0;
        for (let c = 0; c < corners; c++) {
          let offset = base;
          let w = 1;
          lerp.forEach((d, bit) => {
            const ax = axes[d]!;
            const i = idx[d]!;
            if ((c >> bit) & 1) {
              offset += (ax.i1[i]! - ax.i0[i]!) * inStrides[d]!;
              w *= ax.w1[i]!;
            } else w *= 1 - ax.w1[i]!;
          });
          acc += w * readNumber(dtype, src, offset);
        }
        data[k] = dtype === float16 ? toFloat16Bits(acc) : acc;
      }
      for (let d = nd - 1; d >= 0; d--) {
        if (++idx[d]! < spec.shape[d]!) break;
        idx[d] = 0;
      }
    }
    return [out];
  },
});

/** Resizes every dim to `size` (ONNX Resize: nearest or n-linear; see ResizeAttrs). */
export function resize(
  self: Tensor,
  size: readonly number[],
  options: Partial<Omit<ResizeAttrs, "size">> = {},
): Tensor {
  return dispatch1(
    resizeOp,
    { self },
    {
      size,
      scales: options.scales ?? null,
      mode: options.mode ?? "nearest",
      coordinateTransformationMode: options.coordinateTransformationMode ?? "half_pixel",
      nearestMode: options.nearestMode ?? "round_prefer_floor",
    },
  );
}
