// Elementwise ops and activations, each on its tsnpu op (add, ..., clamp, exp, sigmoid, tanh,
// sqrt, pow, leaky_relu, prelu, hardsigmoid, hardswish, softmax).

import {
  abs,
  add,
  cast,
  clamp,
  div,
  exp,
  float32,
  float64,
  hardsigmoid,
  hardswish,
  leakyRelu,
  mul,
  neg,
  pow,
  prelu,
  relu,
  reshape,
  sigmoid,
  softmax,
  sqrt,
  sub,
  tanh,
  type Tensor,
} from "@tsnpu/tensor";
import { dtypeOf, hostTensor } from "../tensors.js";
import { axisOf, constantNumbers, required, type OpHandler } from "./types.js";

type Binary = (a: Tensor, b: Tensor) => Tensor;

/** ONNX integer Div truncates; tsnpu's div is true division, so integer quotients (shape math) are computed on the host. */
function integerDiv(a: Tensor, b: Tensor): Tensor {
  const q = div(a.to(float64), b.to(float64));
  const values = Float64Array.from(q.toTypedArray() as Float64Array, Math.trunc);
  return hostTensor(values, q.shape, float64).to(a.dtype);
}

function binary(fn: Binary): OpHandler {
  return (node, inputs, ctx) => {
    const a = required(node, inputs, 0);
    const b = required(node, inputs, 1);
    if (a.dtype !== b.dtype)
      throw node.error(
        `inputs have different element types (${a.dtype.name} and ${b.dtype.name}); ONNX requires one type`,
      );
    if (fn === div && a.dtype.kind !== "float" && (a.isSymbolic || b.isSymbolic)) {
      throw node.error(
        `integer Div of run-time ${a.dtype.name} tensors is not supported (only floating-point, or constants folded at load)`,
      );
    }
    ctx.operand(0);
    ctx.operand(1);
    const op = fn === div && a.dtype.kind !== "float" ? integerDiv : fn;
    // tsnpu promotes (e.g. int32 + int32 -> int32, but sum types like int64 stay); ONNX keeps the input type.
    return ([x, y]) => [cast(op(x!, y!), a.dtype)];
  };
}

function unary(fn: (x: Tensor) => Tensor): OpHandler {
  return () =>
    ([x]) => [fn(x!)];
}

export const elementwiseOps: Record<string, OpHandler> = {
  Add: binary(add),
  Sub: binary(sub),
  Mul: binary(mul),
  Div: binary(div),
  Neg: unary(neg),
  Abs: unary(abs),
  Relu: unary(relu),
  Sigmoid: unary(sigmoid),
  Tanh: unary(tanh),
  Exp: unary(exp),
  Sqrt: unary(sqrt),
  HardSwish: unary(hardswish),
  Identity: unary((x) => x),

  Dropout: (node) => {
    if (node.outputs[1])
      throw node.unsupported(
        "outputs",
        node.outputs,
        "the output alone (the mask output is for training)",
      );
    return ([x]) => [x!];
  },

  Clip: (node, inputs) => {
    const bound = (attr: string, i: number, fallback: number | null): number | null => {
      if (node.opset < 11) return node.has(attr) ? node.float(attr, 0) : fallback;
      return constantNumbers(node, inputs, i, attr)?.[0] ?? null;
    };
    // Clip-6 defaults to the float range; later versions to no bound.
    const min = bound("min", 1, null);
    const max = bound("max", 2, null);
    return ([x]) => [min === null && max === null ? x! : clamp(x!, min, max)];
  },

  LeakyRelu: (node) => {
    const alpha = node.float("alpha", 0.01);
    return ([x]) => [leakyRelu(x!, alpha)];
  },

  PRelu: (node, inputs, ctx) => {
    required(node, inputs, 1);
    ctx.operand(1);
    return ([x, slope]) => [prelu(x!, cast(slope!, x!.dtype))];
  },

  HardSigmoid: (node) => {
    const alpha = node.float("alpha", 0.2);
    const beta = node.float("beta", 0.5);
    return ([x]) => [hardsigmoid(x!, alpha, beta)];
  },

  Pow: (node, inputs, ctx) => {
    const y = required(node, inputs, 1);
    // A constant single exponent enters as a scalar (float32, as ONNX's Y would be).
    const scalar =
      !y.isSymbolic && y.numel() === 1 ? constantNumbers(node, inputs, 1, "Y")![0]! : null;
    if (scalar === null) ctx.operand(1);
    // ONNX's result has X's type; the exponent may have another.
    return ([x, e]) => [pow(x!, scalar ?? cast(e!, x!.dtype))];
  },

  Softmax: (node, inputs) => {
    const x = required(node, inputs, 0);
    const axis = axisOf(node, node.int("axis", node.opset < 13 ? 1 : -1), x.ndim);
    if (node.opset >= 13) return ([t]) => [softmax(t!, axis)];
    // Before opset 13: over the input flattened to 2-D at axis.
    const rows = x.shape.slice(0, axis).reduce((a, b) => a * b, 1);
    return ([t]) => [reshape(softmax(reshape(t!, [rows, -1]), 1), t!.shape)];
  },

  Cast: (node, _inputs, ctx) => {
    const target = dtypeOf(node.int("to", 0), `node "${node.label}" (Cast): attribute to`);
    const to = target === float32 ? ctx.floatDType : target;
    return ([x]) => [cast(x!, to)];
  },
};
