// Attributes shared by Conv and the pooling ops: kernel, strides, dilations and the pads that
// auto_pad or pads give, per spatial axis.

import type { OnnxNode } from "../node.js";

export interface Window {
  readonly kernel: number[];
  readonly strides: number[];
  readonly dilations: number[];
  /** Pads before and after each spatial axis. */
  readonly begin: number[];
  readonly end: number[];
}

export function isSymmetric(w: Window): boolean {
  return w.begin.every((b, i) => b === w.end[i]);
}

/** The window of a node over `spatial` (the input's spatial sizes) with kernel `kernel`. */
export function windowOf(
  node: OnnxNode,
  spatial: readonly number[],
  kernel: readonly number[],
): Window {
  const rank = spatial.length;
  const list = (name: string, fallback: number): number[] => {
    const v = node.ints(name, Array(rank).fill(fallback));
    if (v.length !== rank || v.some((x) => !Number.isInteger(x) || x < 1))
      throw node.unsupported(name, v, `${rank} integers >= 1`);
    return v;
  };
  const strides = list("strides", 1);
  const dilations = list("dilations", 1);
  const autoPad = node.string("auto_pad", "NOTSET");
  let begin: number[];
  let end: number[];
  if (autoPad === "NOTSET") {
    const pads = node.ints("pads", Array(2 * rank).fill(0));
    if (pads.length !== 2 * rank || pads.some((p) => !Number.isInteger(p) || p < 0))
      throw node.unsupported("pads", pads, `${2 * rank} integers >= 0`);
    begin = pads.slice(0, rank);
    end = pads.slice(rank);
  } else if (autoPad === "VALID") {
    begin = Array(rank).fill(0);
    end = Array(rank).fill(0);
  } else if (autoPad === "SAME_UPPER" || autoPad === "SAME_LOWER") {
    // Output size ceil(in / stride); the odd pad goes after (UPPER) or before (LOWER).
    const totals = spatial.map((size, i) => {
      const out = Math.ceil(size / strides[i]!);
      return Math.max(0, (out - 1) * strides[i]! + (kernel[i]! - 1) * dilations[i]! + 1 - size);
    });
    const small = totals.map((t) => Math.floor(t / 2));
    begin = autoPad === "SAME_UPPER" ? small : totals.map((t, i) => t - small[i]!);
    end = totals.map((t, i) => t - begin[i]!);
  } else {
    throw node.unsupported("auto_pad", autoPad, "NOTSET, VALID, SAME_UPPER, SAME_LOWER");
  }
  return { kernel: [...kernel], strides, dilations, begin, end };
}
