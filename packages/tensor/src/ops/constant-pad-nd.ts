// constant_pad_nd: pads (or, with negative pads, crops) with a constant, as torch's
// F.pad(mode="constant"). Layout only: one device-agnostic kernel writes the raw elements, so
// -0 and NaN payloads survive.

import { ArgumentError, describe } from "../errors.js";
import type { Scalar } from "../numerics/elements.js";
import { writeScalar } from "../numerics/elements.js";
import { contiguousStrides, numel } from "../shape.js";
import { Tensor } from "../tensor.js";
import { defineOp } from "../dispatch/op.js";
import { ANY_BACKEND, registerKernel } from "../dispatch/registry.js";
import { dispatch1 } from "../dispatch/dispatch.js";
import { expectTensor } from "./checks.js";

export interface ConstantPadNdAttrs {
  /** torch's order: (before, after) of the last dim, then of the one before, ... */
  readonly pad: readonly number[];
  readonly value: Scalar;
}

/** (before, after) per dim in dim order: what the kernel uses. */
export type AxisPads = readonly (readonly [number, number])[];

export const constantPadNdOp = defineOp({
  name: "constant_pad_nd",
  inputs: ["self"],
  meta: ({ self: selfArg }, a: ConstantPadNdAttrs) => {
    const self = expectTensor("constant_pad_nd", "self", selfArg);
    const pad = a.pad;
    if (
      !Array.isArray(pad) ||
      pad.length % 2 !== 0 ||
      pad.length > 2 * self.ndim ||
      !pad.every((p) => Number.isInteger(p))
    )
      throw new ArgumentError(
        "constant_pad_nd",
        "pad",
        `an even number (at most ${2 * self.ndim}) of integers`,
        describe(pad),
      );
    const v = a.value;
    if (typeof v !== "number" && typeof v !== "boolean" && typeof v !== "bigint")
      throw new ArgumentError("constant_pad_nd", "value", "a number", describe(v));
    const pads = self.shape.map((_, d): [number, number] => {
      const k = self.ndim - 1 - d;
      return 2 * k < pad.length ? [pad[2 * k]!, pad[2 * k + 1]!] : [0, 0];
    });
    const shape = self.shape.map((s, d) => s + pads[d]![0] + pads[d]![1]);
    const bad = shape.findIndex((s) => s < 0);
    if (bad >= 0)
      throw new ArgumentError(
        "constant_pad_nd",
        "pad",
        `pads that leave dim ${bad} (size ${self.shape[bad]}) a size >= 0`,
        describe(pad),
      );
    return { outputs: [{ shape, dtype: self.dtype }], derived: pads as AxisPads };
  },
});

registerKernel(constantPadNdOp, ANY_BACKEND, {
  run: ({ self }, { value }, [spec], pads) => {
    const out = Tensor.forOutput(spec.shape, spec.dtype, self.device);
    const data = out.storage.data;
    const fill = spec.dtype.allocate(1);
    writeScalar(spec.dtype, fill, 0, value);
    data.fill(fill[0] as never);
    const nd = self.ndim;
    if (numel(spec.shape) === 0 || self.numel() === 0) return [out];
    if (nd === 0) {
      data.set(self.toTypedArray() as never);
      return [out];
    }
    const last = nd - 1;
    // Rows (last dim) are read in place when they are dense (any other strides): no copy of
    // the input, so a compiled replay allocates nothing here; else one row-major copy first.
    const inPlace = self.strides[last] === 1 || self.shape[last] === 1;
    const src = inPlace ? self.storage.data : self.toTypedArray();
    const srcStrides = inPlace ? self.strides : contiguousStrides(self.shape);
    const outStrides = contiguousStrides(spec.shape);
    const w = self.shape[last]!;
    const [b, e] = pads[last]!;
    // The part of each input row (last dim) that lands in the output.
    const from = Math.max(0, -b);
    const to = Math.min(w, w + e);
    const rows = numel(self.shape.slice(0, last));
    const idx = new Array<number>(last).fill(0);
    let row = inPlace ? self.offset : 0;
    for (let r = 0; r < rows; r++) {
      let base = 0;
      let inside = to > from;
      for (let d = 0; d < last && inside; d++) {
        const o = idx[d]! + pads[d]![0];
        inside = o >= 0 && o < spec.shape[d]!;
        base += o * outStrides[d]!;
      }
      if (inside) data.set(src.subarray(row + from, row + to) as never, base + from + b);
      for (let d = last - 1; d >= 0; d--) {
        row += srcStrides[d]!;
        if (++idx[d]! < self.shape[d]!) break;
        row -= srcStrides[d]! * self.shape[d]!;
        idx[d] = 0;
      }
    }
    return [out];
  },
});

/** Pads with `value` (torch.nn.functional.pad in constant mode; negative pads crop). */
export function constantPadNd(self: Tensor, pad: readonly number[], value: Scalar = 0): Tensor {
  return dispatch1(constantPadNdOp, { self }, { pad, value });
}
