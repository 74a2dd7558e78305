// Shared by the sim tests and the report script: geometry from a conformance case or a shape.
import type { QuantConv2dGeometry } from "@tsnpu/tensor";
import type { QuantConv2dCase } from "@tsnpu/conformance";

export function outSize(size: number, k: number, s: number, p: number, d: number): number {
  return Math.floor((size + 2 * p - d * (k - 1) - 1) / s) + 1;
}

export function geometry(
  n: number, cin: number, h: number, w: number, cout: number, kh: number, kw: number,
  sh = 1, sw = 1, ph = 0, pw = 0, dh = 1, dw = 1, offsetX = 0,
): QuantConv2dGeometry {
  return {
    n, cin, h, w, cout, kh, kw,
    strideH: sh, strideW: sw, padH: ph, padW: pw, dilationH: dh, dilationW: dw,
    hOut: outSize(h, kh, sh, ph, dh), wOut: outSize(w, kw, sw, pw, dw), offsetX,
  };
}

export function caseGeometry(c: QuantConv2dCase): QuantConv2dGeometry {
  const [n, cin, h, w] = c.input.shape as [number, number, number, number];
  const [cout, , kh, kw] = c.weight.shape as [number, number, number, number];
  return geometry(n, cin, h, w, cout, kh, kw, c.stride[0], c.stride[1], c.padding[0], c.padding[1], c.dilation[0], c.dilation[1], c.offsetX);
}

/** A small deterministic PRNG (mulberry32), so failures reproduce. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const randInt = (r: () => number, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));

export function randomInt8(r: () => number, len: number, lo = -128, hi = 127): Int8Array {
  const a = new Int8Array(len);
  for (let i = 0; i < len; i++) a[i] = randInt(r, lo, hi);
  return a;
}
