// Exact compositions of existing tsnpu ops for what ONNX needs and tsnpu has no op for yet.
//
// Zero padding: conv2d with a single 1x1 weight of 1.0 and symmetric padding p copies every
// element (x * 1 is exact, one term per sum) and writes zeros around it; narrowing the result
// keeps the asymmetric part. The only difference from a real pad: -0 becomes +0.
// Concatenation: each part zero-padded to the full extent, then merged with `where` and a
// constant mask, which copies values bit for bit.

import { conv2d, narrow, reshape, where, type Tensor } from "@tsnpu/tensor";

/** Elements to add before and after, per axis (negative: remove). */
export type AxisPads = readonly (readonly [number, number])[];

/**
 * Pads axes `h` (and `w`, the next one, when it is the last axis) of `x` with zeros, by viewing
 * x as [outer, 1, H, W] for conv2d. `one` is a float [1, 1, 1, 1] tensor of value 1 in x's dtype.
 */
function padWindow(
  x: Tensor,
  h: number,
  padH: readonly [number, number],
  padW: readonly [number, number] | null,
  one: Tensor,
): Tensor {
  const shape = x.shape;
  const outer = shape.slice(0, h).reduce((a, b) => a * b, 1);
  const hSize = shape[h]!;
  const wSize = shape.slice(h + 1).reduce((a, b) => a * b, 1);
  const ph = Math.max(padH[0], padH[1], 0);
  const pw = padW ? Math.max(padW[0], padW[1], 0) : 0;
  let y = conv2d(reshape(x, [outer, 1, hSize, wSize]), one, null, { padding: [ph, pw] });
  y = narrow(y, 2, ph - padH[0], hSize + padH[0] + padH[1]);
  if (padW) y = narrow(y, 3, pw - padW[0], wSize + padW[0] + padW[1]);
  const out = [...shape];
  out[h] = hSize + padH[0] + padH[1];
  if (padW) out[h + 1] = wSize + padW[0] + padW[1];
  return reshape(y, out);
}

/** Crops negative pads with views; returns x and the pads left (all >= 0). */
function cropNegative(x: Tensor, pads: AxisPads): [Tensor, [number, number][]] {
  let y = x;
  const rest = pads.map(([b, a], d) => {
    if (b < 0 || a < 0) {
      const start = Math.max(-b, 0);
      y = narrow(y, d, start, y.shape[d]! - start - Math.max(-a, 0));
    }
    return [Math.max(b, 0), Math.max(a, 0)] as [number, number];
  });
  return [y, rest];
}

/** `x` with `pads[d]` zeros before and after along each axis d; negative pads crop. */
export function padZeros(x: Tensor, pads: AxisPads, one: Tensor): Tensor {
  let [y, rest] = cropNegative(x, pads);
  const padded = rest.flatMap(([b, a], d) => (b || a ? [d] : []));
  const last = x.ndim - 1;
  // The last two axes pad in one conv; any other axis takes a conv of its own.
  if (padded.length === 2 && padded[0] === last - 1 && padded[1] === last) {
    return padWindow(y, last - 1, rest[last - 1]!, rest[last]!, one);
  }
  for (const d of padded) y = padWindow(y, d, rest[d]!, null, one);
  return y;
}

/** A run-time part of a concatenation at `offset` along the axis; `mask` (true on its slots) is null for the first part. */
export interface ConcatPart {
  readonly tensor: Tensor;
  readonly offset: number;
  readonly mask: Tensor | null;
}

/** Concatenates parts along `axis` (the caller leaves out parts that are all-zero constants). */
export function concatParts(
  parts: readonly ConcatPart[],
  axis: number,
  total: number,
  one: Tensor,
): Tensor {
  let out: Tensor | null = null;
  for (const { tensor, offset, mask } of parts) {
    const size = tensor.shape[axis]!;
    const pads = tensor.shape.map(
      (_, d) => (d === axis ? [offset, total - offset - size] : [0, 0]) as [number, number],
    );
    const padded = padZeros(tensor, pads, one);
    out = out === null || mask === null ? padded : where(mask, padded, out);
  }
  return out!;
}
