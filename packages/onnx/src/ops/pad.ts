// Pad (constant mode) on constant_pad_nd, and `padAxes`, the pads-per-axis form Conv and
// ConvTranspose use for asymmetric padding and zero insertion.

import { constantPadNd, type Tensor } from "@tsnpu/tensor";
import { axisOf, constantInts, constantNumbers, required, type OpHandler } from "./types.js";

/** Elements to add before and after, per axis in axis order (negative: remove). */
export type AxisPads = readonly (readonly [number, number])[];

/** `x` padded with `value` by `pads[d]` before and after each axis d (negative pads crop). */
export function padAxes(x: Tensor, pads: AxisPads, value = 0): Tensor {
  // constant_pad_nd takes torch's order: the last axis first.
  return constantPadNd(
    x,
    [...pads].reverse().flatMap(([b, a]) => [b, a]),
    value,
  );
}

export const pad: OpHandler = (node, inputs) => {
  const x = required(node, inputs, 0);
  const mode = node.string("mode", "constant");
  if (mode !== "constant")
    throw node.unsupported(
      "mode",
      mode,
      "constant (reflect, edge and wrap need ops tsnpu does not have yet)",
    );
  const old = node.opset < 11;
  const flat = old ? node.ints("pads") : constantInts(node, inputs, 1, "pads");
  const value = old
    ? node.float("value", 0)
    : (constantNumbers(node, inputs, 2, "constant_value")?.[0] ?? 0);
  const axes = (old ? undefined : constantInts(node, inputs, 3, "axes"))?.map((a) =>
    axisOf(node, a, x.ndim, "axes"),
  ) ?? [...Array(x.ndim).keys()];
  if (!flat || flat.length !== 2 * axes.length)
    throw node.unsupported("pads", flat, `${2 * axes.length} integers (begin and end per axis)`);
  const pads: [number, number][] = x.shape.map(() => [0, 0]);
  axes.forEach((a, k) => (pads[a] = [flat[k]!, flat[k + axes.length]!]));
  return ([t]) => [padAxes(t!, pads, value)];
};
