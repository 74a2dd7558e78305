// Shared by the sim tests: geometries, seeded random data.
import { convOutputSize, type QuantConv2dGeometry } from "@tsnpu/tensor";

export function geometry(
  n: number,
  cin: number,
  h: number,
  w: number,
  cout: number,
  kh: number,
  kw: number,
  sh = 1,
  sw = 1,
  ph = 0,
  pw = 0,
  dh = 1,
  dw = 1,
  offsetX = 0,
): QuantConv2dGeometry {
  return {
    n,
    cin,
    h,
    w,
    cout,
    kh,
    kw,
    strideH: sh,
    strideW: sw,
    padH: ph,
    padW: pw,
    dilationH: dh,
    dilationW: dw,
    hOut: convOutputSize(h, kh, sh, ph, dh),
    wOut: convOutputSize(w, kw, sw, pw, dw),
    offsetX,
  };
}

// One seeded generator and one case -> geometry mapping for every test in the repo.
export { caseGeometry, seededRandom as rng } from "@tsnpu/conformance";

export const randInt = (r: () => number, lo: number, hi: number): number =>
  lo + Math.floor(r() * (hi - lo + 1));

export function randomInt8(r: () => number, len: number, lo = -128, hi = 127): Int8Array {
  const a = new Int8Array(len);
  for (let i = 0; i < len; i++) a[i] = randInt(r, lo, hi);
  return a;
}
