// Resize in nearest mode where every output index reads input floor(i / s) (integer upscale)
// or start + i * step (integer downscale): then it is a broadcast + reshape or a strided view,
// exact. Which coordinate modes qualify is decided by evaluating ONNX's index formula for
// every output index at load, so no case is guessed.

import { asStrided, reshape, type Tensor } from "@tsnpu/tensor";
import type { OnnxNode } from "../node.js";
import { constantInts, constantNumbers, required, type OpHandler } from "./types.js";

/** ONNX's source coordinate of output index i (Resize, get_original_coordinate). */
function sourceCoordinate(
  mode: string,
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
    default:
      return NaN;
  }
}

function nearest(mode: string, x: number): number {
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
    default:
      return NaN;
  }
}

/** How one axis resizes: repeat each element `repeat` times, or take every `step`-th from `start`. */
type AxisPlan = { repeat: number } | { start: number; step: number; count: number };

function planAxis(node: OnnxNode, sources: readonly number[], inSize: number): AxisPlan {
  const out = sources.length;
  if (out % inSize === 0 && sources.every((s, i) => s === Math.floor(i / (out / inSize))))
    return { repeat: out / inSize };
  const step = out > 1 ? sources[1]! - sources[0]! : 1;
  if (step >= 1 && sources.every((s, i) => s === sources[0]! + i * step))
    return { start: sources[0]!, step, count: out };
  throw node.error(
    `nearest Resize from ${inSize} to ${out} reads input indices [${sources.slice(0, 8).join(", ")}${out > 8 ? ", ..." : ""}]: only integer up- or downscaling that repeats or skips elements evenly is supported (other resizes need an op tsnpu does not have yet)`,
  );
}

export const resize: OpHandler = (node, inputs) => {
  const x = required(node, inputs, 0);
  const mode = node.string("mode", "nearest");
  if (mode !== "nearest")
    throw node.unsupported(
      "mode",
      mode,
      "nearest (linear and cubic need an op tsnpu does not have yet)",
    );
  const ctm = node.string(
    "coordinate_transformation_mode",
    node.opset < 11 ? "asymmetric" : "half_pixel",
  );
  const nearestMode = node.string("nearest_mode", node.opset < 11 ? "floor" : "round_prefer_floor");
  if (Number.isNaN(sourceCoordinate(ctm, 0, 1, 1, 1)))
    throw node.unsupported(
      "coordinate_transformation_mode",
      ctm,
      "half_pixel, pytorch_half_pixel, align_corners, asymmetric, tf_half_pixel_for_nn",
    );
  if (Number.isNaN(nearest(nearestMode, 0)))
    throw node.unsupported(
      "nearest_mode",
      nearestMode,
      "round_prefer_floor, round_prefer_ceil, floor, ceil",
    );
  if (node.has("axes") || node.int("antialias", 0) !== 0)
    throw node.unsupported(
      node.has("axes") ? "axes" : "antialias",
      node.attributeText(),
      "no axes attribute and antialias 0",
    );
  const scaleIndex = node.opset < 11 ? 1 : 2;
  const scales = constantNumbers(node, inputs, scaleIndex, "scales");
  const sizes = node.opset < 11 ? undefined : constantInts(node, inputs, 3, "sizes");
  const outSizes = sizes?.length ? sizes : scales?.map((s, d) => Math.floor(x.shape[d]! * s));
  if (!outSizes || outSizes.length !== x.ndim) throw node.error(`needs ${x.ndim} scales or sizes`);
  const plans = x.shape.map((inSize, d) => {
    const scale = sizes?.length ? outSizes[d]! / inSize : scales![d]!;
    const sources = Array.from({ length: outSizes[d]! }, (_, i) =>
      Math.min(
        Math.max(nearest(nearestMode, sourceCoordinate(ctm, i, scale, inSize, outSizes[d]!)), 0),
        inSize - 1,
      ),
    );
    return planAxis(node, sources, inSize);
  });
  return ([input]) => [applyPlans(input!, plans)];
};

/** A strided view for the skipping axes, then one broadcast + reshape for the repeating ones. */
function applyPlans(x: Tensor, plans: readonly AxisPlan[]): Tensor {
  const picked = asStrided(
    x,
    plans.map((p, d) => ("count" in p ? p.count : x.shape[d]!)),
    plans.map((p, d) => ("step" in p ? p.step : 1) * x.strides[d]!),
    plans.reduce((offset, p, d) => offset + ("start" in p ? p.start * x.strides[d]! : 0), 0),
  );
  const repeats = plans.map((p) => ("repeat" in p ? p.repeat : 1));
  if (repeats.every((r) => r === 1)) return picked;
  // [.., d, ..] viewed as [.., d, r, ..] with stride 0 on r, then merged into [.., d * r, ..].
  const source = picked;
  const expanded = asStrided(
    source,
    source.shape.flatMap((d, k) => [d, repeats[k]!]),
    source.strides.flatMap((st) => [st, 0]),
  );
  return reshape(
    expanded,
    source.shape.map((d, k) => d * repeats[k]!),
  );
}
