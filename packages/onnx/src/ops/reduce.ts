// ReduceMean / ReduceSum / ReduceMax / ReduceMin on tsnpu's reductions (axes as an attribute
// or, from opset 18 (ReduceSum: 13), as an input; keepdims; noop_with_empty_axes).

import { amax, amin, cast, mean, sum, type Tensor } from "@tsnpu/tensor";
import { attributeOrInput, axisOf, required, type OpHandler } from "./types.js";

type Reduce = (x: Tensor, dims: number[] | undefined, keepdim: boolean) => Tensor;

function reduction(fn: Reduce, axesInputSince: number): OpHandler {
  return (node, inputs) => {
    const x = required(node, inputs, 0);
    const axes = attributeOrInput(node, inputs, "axes", axesInputSince, 1);
    const keep = node.int("keepdims", 1) === 1;
    const noop = node.int("noop_with_empty_axes", 0) === 1;
    if ((!axes || axes.length === 0) && noop) return ([t]) => [t!];
    const dims = axes?.length
      ? axes.map((a) => axisOf(node, a, x.ndim, "axes"))
      : [...Array(x.ndim).keys()];
    // ONNX keeps the input type (tsnpu's sum of integers gives int64).
    return ([t]) => [cast(fn(t!, dims, keep), x.dtype)];
  };
}

export const reduceOps: Record<string, OpHandler> = {
  ReduceMean: reduction(mean, 18),
  ReduceSum: reduction(sum, 13),
  ReduceMax: reduction(amax, 18),
  ReduceMin: reduction(amin, 18),
};
