// Equal, Not and Where on tsnpu's eq and where (run-time or constant), and Range (constants
// only), as shape subgraphs from exporters use them.

import { arange, eq, where } from "@tsnpu/tensor";
import { constant, required, type OpHandler } from "./types.js";

export const logicOps: Record<string, OpHandler> = {
  Equal: (node, inputs, ctx) => {
    required(node, inputs, 0);
    required(node, inputs, 1);
    ctx.operand(0);
    ctx.operand(1);
    return ([a, b]) => [eq(a!, b!)];
  },

  Not:
    () =>
    ([x]) => [eq(x!, false)],

  Where: (node, inputs, ctx) => {
    for (const i of [0, 1, 2]) {
      required(node, inputs, i);
      ctx.operand(i);
    }
    return ([c, a, b]) => [where(c!, a!, b!)];
  },

  Range: (node, inputs) => {
    const [start, limit, delta] = [0, 1, 2].map((i) => {
      const t = constant(node, inputs, i, ["start", "limit", "delta"][i]!);
      if (!t) throw node.error(`input ${i} is required but missing`);
      return t;
    });
    const value = arange(Number(start!.item()), Number(limit!.item()), Number(delta!.item()), {
      dtype: start!.dtype,
    });
    return () => [value];
  },
};
