// The fuzz cases: plain JSON (a failing case is printed and can be replayed from a file), made
// from a per-case random stream. Three entry points are exercised:
//   "functional"        npuQuantConv2d(input, weight, int64 scale words, { bias, ... })
//   "module-int64"      QuantConv2d with an int64 scale parameter
//   "module-float32"    QuantConv2d with a float32 scale (and offset): forward packs it with npuTransQuantParam
//   "trans-quant-param" npuTransQuantParam(scale, offset) alone

import { quantConv2dGeometry, type QuantConv2dGeometry } from "@tsnpu/tensor";
import { caseDraws, type Draws } from "./random.js";
import { offsetValue, scaleBits, scaleWordHigh, word64 } from "./scale-bits.js";

/** How a tensor is laid out in memory: as is, stored in reversed dim order and permuted back, or every other element of a larger buffer. */
export type Layout = "contiguous" | "permuted" | "strided";

export type ConvKind = "functional" | "module-int64" | "module-float32";

export interface ConvCase {
  readonly kind: ConvKind;
  readonly g: QuantConv2dGeometry;
  readonly input: number[];
  readonly weight: number[];
  readonly bias: number[] | null;
  /** int64 scale words as decimal strings (functional, module-int64). */
  readonly scaleWords: string[] | null;
  /** float32 scale bit patterns (module-float32). */
  readonly scaleBits: number[] | null;
  /** float32 offsets (module-float32 with an offset parameter). */
  readonly offset: number[] | null;
  readonly layouts: {
    readonly input: Layout;
    readonly weight: Layout;
    readonly scale: Layout;
    readonly bias: Layout;
  };
}

export interface TransQuantParamCase {
  readonly kind: "trans-quant-param";
  readonly scaleBits: number[];
  /** [t] or [1, t]. */
  readonly scaleShape: number[];
  readonly offset: number[] | null;
  readonly offsetShape: number[] | null;
  readonly layout: Layout;
}

export type FuzzCase = ConvCase | TransQuantParamCase;

export function outputShape(c: ConvCase): number[] {
  return [c.g.n, c.g.cout, c.g.hOut, c.g.wOut];
}

/** Small shapes that still reach every corner: pads wider than the kernel, dilation, Wo = 1. */
function smallGeometry(d: Draws): QuantConv2dGeometry {
  for (;;) {
    const g = quantConv2dGeometry({
      n: d.int(1, 2),
      cin: d.int(1, 8),
      cout: d.int(1, 8),
      h: d.int(1, 9),
      w: d.int(1, 9),
      kh: d.int(1, 4),
      kw: d.int(1, 4),
      strideH: d.int(1, 3),
      strideW: d.int(1, 3),
      padH: d.int(0, 4),
      padW: d.int(0, 4),
      dilationH: d.int(1, 2),
      dilationW: d.int(1, 2),
      offsetX: d.pick([0, 0, -128, 127, d.int(-128, 127)]),
    });
    if (g.hOut > 0 && g.wOut > 0) return g;
  }
}

/** 2048 channels x 8x8 taps of -128 * -128 = 2^31 per output: the accumulator itself wraps. */
function accumulatorWrapGeometry(d: Draws): QuantConv2dGeometry {
  return quantConv2dGeometry({
    n: 1,
    cin: 2048,
    cout: d.int(1, 2),
    h: 8,
    w: 9,
    kh: 8,
    kw: 8,
    strideH: 1,
    strideW: 1,
    padH: 0,
    padW: 0,
    dilationH: 1,
    dilationW: 1,
    offsetX: 0,
  });
}

const layout = (d: Draws): Layout =>
  d.pick(["contiguous", "contiguous", "permuted", "strided"] as const);

function biasValue(d: Draws): number {
  switch (d.int(0, 2)) {
    case 0:
      return d.int(-5000, 5000);
    case 1:
      return d.pick([2 ** 31 - 1 - d.int(0, 20000), -(2 ** 31) + d.int(0, 20000)]); // wraps when added
    default:
      return d.int(-(2 ** 31), 2 ** 31 - 1);
  }
}

function convCase(d: Draws, kind: ConvKind): ConvCase {
  const wrapAccumulator = d.random() < 0.005;
  const g = wrapAccumulator ? accumulatorWrapGeometry(d) : smallGeometry(d);
  const extremes = wrapAccumulator || d.random() < 0.2;
  const int8 = () =>
    wrapAccumulator ? -128 : extremes ? d.pick([-128, 127, -128, 0]) : d.int(-128, 127);
  const input = Array.from({ length: g.n * g.cin * g.h * g.w }, int8);
  const weight = Array.from({ length: g.cout * g.cin * g.kh * g.kw }, int8);
  const bias = d.random() < 0.2 ? null : Array.from({ length: g.cout }, () => biasValue(d));
  const specialRate = d.random() < 0.3 ? 0.3 : 0;
  const bits = Array.from({ length: g.cout }, () => scaleBits(d, specialRate));
  const float32 = kind === "module-float32";
  const offset =
    float32 && d.random() < 0.3 ? Array.from({ length: g.cout }, () => offsetValue(d)) : null;
  return {
    kind,
    g,
    input,
    weight,
    bias,
    scaleWords: float32 ? null : bits.map((low) => word64(scaleWordHigh(d), low).toString()),
    scaleBits: float32 ? bits : null,
    offset,
    layouts: { input: layout(d), weight: layout(d), scale: layout(d), bias: layout(d) },
  };
}

function transQuantParamCase(d: Draws): TransQuantParamCase {
  const t = d.int(1, 12);
  const scaleLength = d.random() < 0.15 ? 1 : t;
  const withOffset = d.random() < 0.5;
  const offsetLength = withOffset && scaleLength !== 1 && d.random() < 0.15 ? 1 : t;
  const shape = (n: number) => (d.random() < 0.3 ? [1, n] : [n]);
  return {
    kind: "trans-quant-param",
    scaleBits: Array.from({ length: scaleLength }, () => scaleBits(d, 0.4)),
    scaleShape: shape(scaleLength),
    offset: withOffset ? Array.from({ length: offsetLength }, () => offsetValue(d)) : null,
    offsetShape: withOffset ? shape(offsetLength) : null,
    layout: d.pick(["contiguous", "strided"] as const),
  };
}

/** Case `index` of run `seed`. */
export function generateCase(seed: number, index: number): FuzzCase {
  const d = caseDraws(seed, index);
  const r = d.random();
  if (r < 0.35) return convCase(d, "functional");
  if (r < 0.55) return convCase(d, "module-int64");
  if (r < 0.8) return convCase(d, "module-float32");
  return transQuantParamCase(d);
}

/** A one-line summary for tables and failure reports. */
export function describeCase(c: FuzzCase): string {
  if (c.kind === "trans-quant-param") {
    return `trans-quant-param scale [${c.scaleShape}]${c.offsetShape ? ` offset [${c.offsetShape}]` : ""} ${c.layout}`;
  }
  const { g } = c;
  return `${c.kind} N${g.n} C${g.cin} ${g.h}x${g.w} -> ${g.cout}, k${g.kh}x${g.kw} s${g.strideH},${g.strideW} p${g.padH},${g.padW} d${g.dilationH},${g.dilationW} x0=${g.offsetX}${c.bias ? "" : " no-bias"} layouts ${
    Object.entries(c.layouts)
      .filter(([, l]) => l !== "contiguous")
      .map(([k, l]) => `${k}:${l}`)
      .join(",") || "contiguous"
  }`;
}
