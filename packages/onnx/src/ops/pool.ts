// MaxPool and AveragePool (2-D, ceil_mode, count_include_pad) on tsnpu's pooling ops, which pad
// symmetrically: asymmetric pads are written first with constant_pad_nd (-inf for MaxPool, zeros
// for AveragePool counting the pads), without ceil_mode. GlobalAveragePool and GlobalMaxPool as
// mean / amax over the spatial axes.

import { amax, avgPool2d, maxPool2d, mean, type Tensor } from "@tsnpu/tensor";
import { padAxes } from "./pad.js";
import { required, type OpHandler } from "./types.js";
import { isSymmetric, windowOf } from "./window.js";

function pool2d(kind: "max" | "average"): OpHandler {
  return (node, inputs) => {
    const x = required(node, inputs, 0);
    if (x.ndim !== 4)
      throw node.error(
        `input X has shape [${x.shape.join(", ")}]; only 2-D pooling (N, C, H, W) is supported`,
      );
    if (kind === "max" && node.outputs[1])
      throw node.unsupported("outputs", node.outputs, "one output (no Indices)");
    const kernel = node.ints("kernel_shape");
    if (kernel?.length !== 2) throw node.unsupported("kernel_shape", kernel, "2 sizes");
    const win = windowOf(node, x.shape.slice(2), kernel);
    const ceilMode = node.int("ceil_mode", 0) === 1;
    const countIncludePad = node.int("count_include_pad", 0) === 1;
    const prePad = !isSymmetric(win);
    if (prePad && (ceilMode || (kind === "average" && !countIncludePad)))
      throw node.unsupported(
        "pads",
        [...win.begin, ...win.end],
        "equal pads before and after each axis, or unequal ones without ceil_mode (and with count_include_pad 1 for AveragePool)",
      );
    const pads: [number, number][] = [
      [0, 0],
      [0, 0],
      [win.begin[0]!, win.end[0]!],
      [win.begin[1]!, win.end[1]!],
    ];
    const input = (t: Tensor) => (prePad ? padAxes(t, pads, kind === "max" ? -Infinity : 0) : t);
    const k: [number, number] = [kernel[0]!, kernel[1]!];
    const stride: [number, number] = [win.strides[0]!, win.strides[1]!];
    const padding: [number, number] = prePad ? [0, 0] : [win.begin[0]!, win.begin[1]!];
    if (kind === "max") {
      if (node.int("storage_order", 0) !== 0) throw node.unsupported("storage_order", 1, "0");
      const dilation: [number, number] = [win.dilations[0]!, win.dilations[1]!];
      return ([t]) => [maxPool2d(input(t!), k, { stride, padding, dilation, ceilMode })];
    }
    if (win.dilations.some((d) => d !== 1))
      throw node.unsupported("dilations", win.dilations, "1 (tsnpu's avg_pool2d has no dilation)");
    return ([t]) => [avgPool2d(input(t!), k, { stride, padding, ceilMode, countIncludePad })];
  };
}

function globalPool(reduce: (x: Tensor, dims: number[], keepdim: boolean) => Tensor): OpHandler {
  return (node, inputs) => {
    const x = required(node, inputs, 0);
    const spatial = [...Array(x.ndim).keys()].slice(2);
    return ([t]) => [reduce(t!, spatial, true)];
  };
}

export const poolOps: Record<string, OpHandler> = {
  MaxPool: pool2d("max"),
  AveragePool: pool2d("average"),
  GlobalAveragePool: globalPool(mean),
  GlobalMaxPool: globalPool(amax),
};
