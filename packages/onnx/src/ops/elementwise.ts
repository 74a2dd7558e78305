// Elementwise ops on tsnpu's add/sub/mul/div/neg/abs/relu/clamp, including the activations that
// compose from them exactly (LeakyRelu, PRelu, HardSigmoid, HardSwish).

import {
  abs,
  add,
  cast,
  clamp,
  div,
  float32,
  float64,
  mul,
  neg,
  relu,
  sub,
  type Tensor,
} from "@tsnpu/tensor";
import { dtypeOf, hostTensor } from "../tensors.js";
import { constantNumbers, required, type OpHandler } from "./types.js";

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
    // relu(x) + alpha * min(x, 0): one of the two terms is zero, so each output rounds once.
    return ([x]) => [add(relu(x!), mul(clamp(x!, null, 0), alpha))];
  },

  PRelu: (node, inputs, ctx) => {
    required(node, inputs, 1);
    ctx.operand(1);
    return ([x, slope]) => [add(relu(x!), mul(clamp(x!, null, 0), slope!))];
  },

  HardSigmoid: (node) => {
    const alpha = node.float("alpha", 0.2);
    const beta = node.float("beta", 0.5);
    return ([x]) => [clamp(add(mul(x!, alpha), beta), 0, 1)];
  },

  HardSwish:
    () =>
    ([x]) => [mul(x!, clamp(add(mul(x!, 1 / 6), 0.5), 0, 1))],

  Pow: (node, inputs) => {
    const exponent = constantNumbers(node, inputs, 1, "Y");
    const e = exponent?.[0];
    if (!exponent || exponent.some((v) => v !== e) || (e !== 1 && e !== 2)) {
      throw node.unsupported(
        "Y (exponent)",
        exponent ?? "a run-time tensor",
        "a constant exponent of 1 or 2 (other powers need an op tsnpu does not have yet)",
      );
    }
    return ([x]) => [e === 2 ? mul(x!, x!) : x!];
  },

  Cast: (node, _inputs, ctx) => {
    const target = dtypeOf(node.int("to", 0), `node "${node.label}" (Cast): attribute to`);
    const to = target === float32 ? ctx.floatDType : target;
    return ([x]) => [cast(x!, to)];
  },
};
