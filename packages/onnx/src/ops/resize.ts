// Resize (nearest and linear; opsets 10 to 21) on tsnpu's resize op, which implements ONNX's
// coordinate transformation and nearest modes itself.

import {
  coordinateTransformationModes,
  nearestModes,
  resize as resizeOp,
  type ResizeAttrs,
} from "@tsnpu/tensor";
import { axisOf, constantInts, constantNumbers, required, type OpHandler } from "./types.js";

function oneOf<T extends string>(allowed: readonly T[], value: string): value is T {
  return (allowed as readonly string[]).includes(value);
}

export const resize: OpHandler = (node, inputs) => {
  const x = required(node, inputs, 0);
  const mode = node.string("mode", "nearest");
  if (mode !== "nearest" && mode !== "linear")
    throw node.unsupported("mode", mode, "nearest or linear (cubic is not supported)");
  const ctm = node.string(
    "coordinate_transformation_mode",
    node.opset < 11 ? "asymmetric" : "half_pixel",
  );
  if (!oneOf(coordinateTransformationModes, ctm))
    throw node.unsupported(
      "coordinate_transformation_mode",
      ctm,
      coordinateTransformationModes.join(", "),
    );
  const nearestMode = node.string("nearest_mode", node.opset < 11 ? "floor" : "round_prefer_floor");
  if (!oneOf(nearestModes, nearestMode))
    throw node.unsupported("nearest_mode", nearestMode, nearestModes.join(", "));
  if (node.int("antialias", 0) !== 0)
    throw node.unsupported("antialias", node.int("antialias", 0), "0");
  const policy = node.string("keep_aspect_ratio_policy", "stretch");
  if (policy !== "stretch") throw node.unsupported("keep_aspect_ratio_policy", policy, "stretch");
  const axes = node.ints("axes", [...x.shape.keys()]).map((a) => axisOf(node, a, x.ndim, "axes"));
  const scaleIndex = node.opset < 11 ? 1 : 2;
  const givenScales = constantNumbers(node, inputs, scaleIndex, "scales");
  const givenSizes = node.opset < 11 ? undefined : constantInts(node, inputs, 3, "sizes");
  const size = [...x.shape];
  const scales = x.shape.map(() => 1);
  if (givenSizes?.length) {
    if (givenSizes.length !== axes.length)
      throw node.unsupported("sizes", givenSizes, `${axes.length} sizes (one per axis)`);
    axes.forEach((a, k) => {
      size[a] = givenSizes[k]!;
      scales[a] = givenSizes[k]! / x.shape[a]!;
    });
  } else if (givenScales?.length) {
    if (givenScales.length !== axes.length)
      throw node.unsupported("scales", givenScales, `${axes.length} scales (one per axis)`);
    axes.forEach((a, k) => {
      size[a] = Math.floor(x.shape[a]! * givenScales[k]!);
      scales[a] = givenScales[k]!;
    });
  } else throw node.error("needs scales or sizes");
  const attrs: Omit<ResizeAttrs, "size"> = {
    mode,
    coordinateTransformationMode: ctm,
    nearestMode,
    scales,
  };
  return ([t]) => [resizeOp(t!, size, attrs)];
};
