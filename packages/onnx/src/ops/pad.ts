// Pad (constant mode): zeros by the exact conv2d composition of compose.ts; another constant
// value is written with `where` and a constant mask of the original elements.

import { bool, where } from "@tsnpu/tensor";
import { hostTensor } from "../tensors.js";
import { padZeros, type AxisPads } from "./compose.js";
import { axisOf, constantInts, constantNumbers, required, type OpHandler } from "./types.js";
import { paddingOne } from "./window.js";

/** A bool mask of the padded shape, true where the input's elements land. */
function insideMask(
  shape: readonly number[],
  pads: AxisPads,
  inputShape: readonly number[],
): Uint8Array {
  const total = shape.reduce((a, b) => a * b, 1);
  const mask = new Uint8Array(total);
  for (let flat = 0; flat < total; flat++) {
    let rest = flat;
    let inside = true;
    for (let d = shape.length - 1; d >= 0 && inside; d--) {
      const i = rest % shape[d]!;
      rest = Math.floor(rest / shape[d]!);
      const source = i - pads[d]![0];
      inside = source >= 0 && source < inputShape[d]!;
    }
    mask[flat] = inside ? 1 : 0;
  }
  return mask;
}

export const pad: OpHandler = (node, inputs, ctx) => {
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
  const outShape = x.shape.map((d, i) => d + pads[i]![0] + pads[i]![1]);
  const one = paddingOne(ctx, x);
  const mask =
    value === 0
      ? null
      : ctx.parameter("mask", hostTensor(insideMask(outShape, pads, x.shape), outShape, bool));
  return ([t]) => {
    const padded = padZeros(t!, pads, one());
    return [mask ? where(mask.data, padded, value) : padded];
  };
};
