// Views with dense rows (last stride 1, any other strides) are read a row at a time by
// copyInto and in place by constant_pad_nd, and contiguous inputs (at any offset) in place by
// cat: checked against an element-by-element read.

import { describe, expect, it } from "vitest";
import { asStrided, cat, constantPadNd, tensor, type Tensor } from "../src/index.js";

/** A seeded generator (mulberry32), so a failure reproduces. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random view of rank 1-4 with last stride 1 (or, every third, a transposed last dim). */
function randomView(next: () => number, case_: number): Tensor {
  const int = (n: number) => Math.floor(next() * n);
  const shape = Array.from({ length: 1 + int(4) }, () => 1 + int(5));
  const denseRows = case_ % 3 !== 2;
  const strides = new Array<number>(shape.length);
  let extent = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = d === shape.length - 1 && denseRows ? 1 : extent + int(3);
    extent = strides[d]! * shape[d]! + int(2);
  }
  const offset = int(4);
  const base = tensor(Array.from({ length: offset + extent + 8 }, () => next() * 2 - 1));
  return asStrided(base, shape, strides, offset);
}

/** Element-by-element row-major read through shape/strides/offset. */
function elementRead(t: Tensor): number[] {
  const data = t.storage.data as Float32Array;
  const out: number[] = [];
  const visit = (d: number, at: number) => {
    if (d === t.ndim) out.push(data[at]!);
    else for (let i = 0; i < t.shape[d]!; i++) visit(d + 1, at + i * t.strides[d]!);
  };
  visit(0, t.offset);
  return out;
}

describe("strided views read by rows", () => {
  const next = rng(7);
  it.each(Array.from({ length: 40 }, (_, i) => i))("copyInto, case %i", (i) => {
    const v = randomView(next, i);
    expect(Array.from(v.toTypedArray() as Float32Array)).toEqual(elementRead(v));
  });
  it.each(Array.from({ length: 40 }, (_, i) => i))("constant_pad_nd, case %i", (i) => {
    const v = randomView(next, i);
    const pad = v.shape.flatMap(() => [Math.floor(next() * 4) - 1, Math.floor(next() * 4) - 1]);
    const dense = tensor(elementRead(v)).reshape(v.shape);
    const got = constantPadNd(v, pad, 0.5).toTypedArray();
    const want = constantPadNd(dense, pad, 0.5).toTypedArray();
    expect(Array.from(got as Float32Array)).toEqual(Array.from(want as Float32Array));
  });
  it.each(Array.from({ length: 40 }, (_, i) => i))("cat, case %i", (i) => {
    const v = randomView(next, i);
    const dense = tensor(elementRead(v)).reshape(v.shape);
    // A contiguous view at an offset: the second half of a longer flat tensor.
    const n = v.numel();
    const shifted = asStrided(
      tensor([...elementRead(v), ...elementRead(v)]),
      v.shape,
      dense.strides,
      n,
    );
    const dim = i % v.ndim;
    const got = cat([v, shifted, dense], dim).toTypedArray();
    const want = cat([dense, dense, dense], dim).toTypedArray();
    expect(Array.from(got as Float32Array)).toEqual(Array.from(want as Float32Array));
  });
});
