// MatMul (numpy semantics, as torch.matmul) and Gemm (alpha * A' B' + beta * C).

import { add, matmul, mul, transpose } from "@tsnpu/tensor";
import { required, type OpHandler } from "./types.js";

export const linearOps: Record<string, OpHandler> = {
  MatMul: (node, inputs, ctx) => {
    required(node, inputs, 0);
    required(node, inputs, 1);
    ctx.operand(0);
    ctx.operand(1);
    return ([a, b]) => [matmul(a!, b!)];
  },

  Gemm: (node, inputs, ctx) => {
    for (const i of [0, 1]) {
      if (required(node, inputs, i).ndim !== 2)
        throw node.error(`input ${i} must be 2-D, got shape [${inputs[i]!.shape.join(", ")}]`);
      ctx.operand(i);
    }
    const alpha = node.float("alpha", 1);
    const beta = node.float("beta", 1);
    const transA = node.int("transA", 0) === 1;
    const transB = node.int("transB", 0) === 1;
    const c = inputs[2];
    if (c) ctx.operand(2);
    return ([a, b, bias]) => {
      let y = matmul(transA ? transpose(a!, 0, 1) : a!, transB ? transpose(b!, 0, 1) : b!);
      if (alpha !== 1) y = mul(y, alpha);
      if (c && bias && beta !== 0) y = add(y, beta === 1 ? bias : mul(bias, beta));
      return [y];
    };
  },
};
