// cat: concatenation along one dim, the first op with a variadic input ("tensors*", see
// dispatch/op.ts). Layout only, so one device-agnostic kernel (as copy.ts) moves the raw
// elements of every dtype through each storage's host view, bit for bit.

import { ArgumentError, describe } from "../errors.js";
import { normalizeDim, numel } from "../shape.js";
import { Tensor } from "../tensor.js";
import { defineOp } from "../dispatch/op.js";
import { ANY_BACKEND, registerKernel } from "../dispatch/registry.js";
import { dispatch1 } from "../dispatch/dispatch.js";
import { expectSameDType, expectTensor } from "./checks.js";

export interface CatAttrs {
  readonly dim: number;
}

export const catOp = defineOp({
  name: "cat",
  inputs: ["tensors*"],
  meta: ({ tensors: list }, a: CatAttrs) => {
    if (!Array.isArray(list) || list.length === 0)
      throw new ArgumentError("cat", "tensors", "a non-empty array of tensors", describe(list));
    const ts = list.map((t, i) => expectTensor("cat", `tensors[${i}]`, t));
    const first = ts[0]!;
    if (first.ndim === 0)
      throw new ArgumentError("cat", "tensors[0]", "a tensor of at least 1 dim", "a 0-d tensor");
    if (typeof a.dim !== "number" || !Number.isInteger(a.dim))
      throw new ArgumentError("cat", "dim", "an integer", describe(a.dim));
    const dim = normalizeDim("cat", a.dim, first.ndim);
    ts.forEach((t, i) => {
      expectSameDType("cat", `tensors[${i}]`, t, first, "tensors[0]");
      if (t.ndim !== first.ndim || t.shape.some((s, d) => d !== dim && s !== first.shape[d]))
        throw new ArgumentError(
          "cat",
          `tensors[${i}]`,
          `shape ${describe(first.shape)} except in dim ${dim}`,
          describe(t.shape),
        );
    });
    const shape = [...first.shape];
    shape[dim] = ts.reduce((n, t) => n + t.shape[dim]!, 0);
    return { outputs: [{ shape, dtype: first.dtype }], derived: dim };
  },
});

registerKernel(catOp, ANY_BACKEND, {
  run: ({ tensors }, _attrs, [spec], dim) => {
    const out = Tensor.forOutput(spec.shape, spec.dtype, tensors[0]!.device);
    const data = out.storage.data;
    const outer = numel(spec.shape.slice(0, dim));
    const inner = numel(spec.shape.slice(dim + 1));
    const rowOut = spec.shape[dim]! * inner;
    let offset = 0;
    for (const t of tensors) {
      // A contiguous input is read in place (no JS copy per call), a view is copied first.
      const dense = t.isContiguous();
      const src = dense ? t.storage.data : t.toTypedArray();
      const start = dense ? t.offset : 0;
      const row = t.shape[dim]! * inner;
      for (let o = 0; o < outer; o++) {
        const from = start + o * row;
        data.set(src.subarray(from, from + row) as never, o * rowOut + offset);
      }
      offset += row;
    }
    return [out];
  },
});

/** Concatenates tensors of one dtype along `dim` (torch.cat). */
export function cat(tensors: readonly Tensor[], dim = 0): Tensor {
  return dispatch1(catOp, { tensors }, { dim });
}
