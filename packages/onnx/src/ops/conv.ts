// Conv (1-D and 2-D, groups incl. depthwise, asymmetric pads, auto_pad) on conv2d, and
// BatchNormalization run on its own (y = x * s + t); the loader folds a BatchNormalization into
// the Conv before it when it can (fold.ts).

import { conv2d, float32, narrow, reshape, squeeze, unsqueeze, type Tensor } from "@tsnpu/tensor";
import type { OnnxNode } from "../node.js";
import { hostNumbers, hostTensor } from "../tensors.js";
import { padAxes } from "./pad.js";
import { constant, required, type NodeInputs, type OpHandler } from "./types.js";
import { isSymmetric, windowOf } from "./window.js";

export const conv: OpHandler = (node, inputs, ctx) => {
  const x = required(node, inputs, 0);
  const w = required(node, inputs, 1);
  ctx.operand(1);
  if (inputs[2]) ctx.operand(2);
  const rank = w.ndim - 2;
  if (rank !== 1 && rank !== 2)
    throw node.unsupported("kernel_shape", w.shape.slice(2), "1-D and 2-D convolutions");
  if (x.ndim !== rank + 2)
    throw node.error(
      `input X has shape [${x.shape.join(", ")}], expected rank ${rank + 2} for weight [${w.shape.join(", ")}]`,
    );
  const kernel = node.ints("kernel_shape", w.shape.slice(2));
  if (kernel.join() !== w.shape.slice(2).join())
    throw node.unsupported(
      "kernel_shape",
      kernel,
      `the weight's kernel size [${w.shape.slice(2).join(", ")}]`,
    );
  const win = windowOf(node, x.shape.slice(2), kernel);
  const groups = node.int("group", 1);
  // A 1-D conv is a 2-D conv over a height of 1.
  const pair = (v: number[], one: number): [number, number] =>
    rank === 1 ? [one, v[0]!] : [v[0]!, v[1]!];
  const options = { stride: pair(win.strides, 1), dilation: pair(win.dilations, 1), groups };
  const symmetric = isSymmetric(win);
  const pads2d: [number, number][] =
    rank === 1
      ? [
          [0, 0],
          [win.begin[0]!, win.end[0]!],
        ]
      : [
          [win.begin[0]!, win.end[0]!],
          [win.begin[1]!, win.end[1]!],
        ];
  return ([input, weight, bias]) => {
    let x4 = rank === 1 ? unsqueeze(input!, 2) : input!;
    const w4 = rank === 1 ? unsqueeze(weight!, 2) : weight!;
    let padding: [number, number] = [pads2d[0]![0], pads2d[1]![0]];
    if (!symmetric) {
      x4 = padAxes(x4, [[0, 0], [0, 0], ...pads2d]);
      padding = [0, 0];
    }
    const y = conv2d(x4, w4, bias, { ...options, padding });
    return [rank === 1 ? squeeze(y, 2) : y];
  };
};

/** Per-channel scale s and shift t of an inference BatchNormalization, in float64. */
export function batchNormAffine(
  node: OnnxNode,
  inputs: NodeInputs,
): { s: Float64Array; t: Float64Array } {
  const [scale, bias, mean, variance] = [1, 2, 3, 4].map((i) => {
    const t = constant(node, inputs, i, ["scale", "B", "input_mean", "input_var"][i - 1]!);
    if (!t) throw node.error(`input ${i} is required but missing`);
    return hostNumbers(t);
  }) as [number[], number[], number[], number[]];
  if (node.int("training_mode", 0) !== 0)
    throw node.unsupported("training_mode", 1, "0 (inference)");
  const eps = node.float("epsilon", 1e-5);
  const s = Float64Array.from(scale, (g, c) => g / Math.sqrt(variance[c]! + eps));
  const t = Float64Array.from(bias, (b, c) => b - mean[c]! * s[c]!);
  return { s, t };
}

/** A float64 per-channel vector as a [C, 1, ...] tensor in `like`'s dtype, which broadcasts over (N, C, ...) inputs. */
function channelTensor(values: Float64Array, like: Tensor): Tensor {
  const shape = [values.length, ...Array(Math.max(like.ndim - 2, 0)).fill(1)];
  return hostTensor(Float32Array.from(values), shape, float32).to(like.dtype);
}

export const batchNormalization: OpHandler = (node, inputs, ctx) => {
  const x = required(node, inputs, 0);
  if (node.outputs.slice(1).some((o) => o !== ""))
    throw node.unsupported("outputs", node.outputs, "one output (inference mode)");
  const { s, t } = batchNormAffine(node, inputs);
  const scale = ctx.parameter("scale", channelTensor(s, x));
  const shift = ctx.parameter("shift", channelTensor(t, x));
  return ([input]) => [input!.mul(scale.data).add(shift.data)];
};

/** W [Cin, Cout / g, kh, kw] of a transposed conv as the weight [Cout, Cin / g, kh, kw] of the equivalent conv: flipped, in/out swapped per group. */
function transposedConvWeight(w: Tensor, groups: number): Tensor {
  const [cin, coutPerGroup, kh, kw] = w.shape as [number, number, number, number];
  const cinPerGroup = cin / groups;
  const src = w.toTypedArray();
  const out = w.dtype.allocate(src.length);
  for (let g = 0; g < groups; g++) {
    for (let ci = 0; ci < cinPerGroup; ci++) {
      for (let co = 0; co < coutPerGroup; co++) {
        const from = ((g * cinPerGroup + ci) * coutPerGroup + co) * kh * kw;
        const to = ((g * coutPerGroup + co) * cinPerGroup + ci) * kh * kw;
        for (let k = 0; k < kh * kw; k++) out[to + kh * kw - 1 - k] = src[from + k]!;
      }
    }
  }
  return hostTensor(out, [coutPerGroup * groups, cinPerGroup, kh, kw], w.dtype);
}

/**
 * ConvTranspose (2-D) as the conv it equals: zeros inserted between input elements (stride),
 * zero padding of dilation * (k - 1) minus pads (plus output_padding after), then a stride-1
 * conv2d with the flipped, transposed weight.
 */
export const convTranspose: OpHandler = (node, inputs, ctx) => {
  const x = required(node, inputs, 0);
  const w = constant(node, inputs, 1, "W");
  if (!w) throw node.error("input 1 (W) is required but missing");
  if (w.ndim !== 4 || x.ndim !== 4)
    throw node.unsupported("kernel_shape", w.shape.slice(2), "2-D transposed convolutions");
  if (node.has("output_shape"))
    throw node.unsupported(
      "output_shape",
      node.ints("output_shape"),
      "explicit pads instead (no output_shape)",
    );
  const autoPad = node.string("auto_pad", "NOTSET");
  if (autoPad !== "NOTSET" && autoPad !== "VALID")
    throw node.unsupported("auto_pad", autoPad, "NOTSET or VALID");
  const groups = node.int("group", 1);
  const kernel = w.shape.slice(2);
  const list = (name: string, fallback: number, length = 2) =>
    node.ints(name, Array(length).fill(fallback));
  const [sh, sw] = list("strides", 1);
  const [dh, dw] = list("dilations", 1);
  const [pt, pl, pb, pr] = autoPad === "VALID" ? [0, 0, 0, 0] : list("pads", 0, 4);
  const [oph, opw] = list("output_padding", 0);
  const weight = ctx.parameter("weight_as_conv", transposedConvWeight(w, groups));
  if (inputs[2]) ctx.operand(2);
  const spanH = dh! * (kernel[0]! - 1);
  const spanW = dw! * (kernel[1]! - 1);
  const pads: [number, number][] = [
    [0, 0],
    [0, 0],
    [spanH - pt!, spanH - pb! + oph!],
    [spanW - pl!, spanW - pr! + opw!],
  ];
  return ([input, , bias]) => {
    const [n, c, h, wd] = input!.shape as [number, number, number, number];
    let y = input!;
    if (sh! > 1 || sw! > 1) {
      // [n, c, h, 1, w, 1] padded to [n, c, h, sh, w, sw] keeps each element first in its cell.
      const cells = padAxes(reshape(y, [n, c, h, 1, wd, 1]), [
        [0, 0],
        [0, 0],
        [0, 0],
        [0, sh! - 1],
        [0, 0],
        [0, sw! - 1],
      ]);
      const rows = narrow(reshape(cells, [n, c, h * sh!, wd * sw!]), 2, 0, (h - 1) * sh! + 1);
      y = narrow(rows, 3, 0, (wd - 1) * sw! + 1);
    }
    return [conv2d(padAxes(y, pads), weight.data, bias, { dilation: [dh!, dw!], groups })];
  };
};
