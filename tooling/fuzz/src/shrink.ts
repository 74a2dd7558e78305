// Greedy shrinking: try smaller variants of a failing case (fewer batches, channels, rows,
// columns, kernel taps, plainer layouts and attributes) and keep each one that still fails,
// until none does. The result is the reproducer printed for a failure.

import { quantConv2dGeometry } from "@tsnpu/tensor";
import type { ConvCase, FuzzCase, TransQuantParamCase } from "./cases.js";

/** `data` (row-major, `shape`) restricted to `count` indices from `start` along `dim`. */
function take(
  data: readonly number[],
  shape: readonly number[],
  dim: number,
  start: number,
  count: number,
): number[] {
  const outer = shape.slice(0, dim).reduce((a, b) => a * b, 1);
  const inner = shape.slice(dim + 1).reduce((a, b) => a * b, 1);
  const out: number[] = [];
  for (let o = 0; o < outer; o++) {
    for (let i = start; i < start + count; i++) {
      const base = (o * shape[dim]! + i) * inner;
      for (let k = 0; k < inner; k++) out.push(data[base + k]!);
    }
  }
  return out;
}

/** float32 1.0, and its int64 word from npu_trans_quant_param. */
const ONE = 0x3f800000;
const ONE_WORD = ((1n << 46n) | BigInt(ONE)).toString();

const pick1 = <T>(xs: readonly T[] | null, k: number): T[] | null => (xs ? [xs[k]!] : null);

/** Smaller variants of a conv case, each a valid case (positive output size). */
function* convCandidates(c: ConvCase): Generator<ConvCase> {
  const { g } = c;
  const inShape = [g.n, g.cin, g.h, g.w];
  const wShape = [g.cout, g.cin, g.kh, g.kw];
  const regeometry = (changes: Partial<ConvCase["g"]>) => quantConv2dGeometry({ ...g, ...changes });
  for (const key of ["input", "weight", "scale", "bias"] as const) {
    if (c.layouts[key] !== "contiguous")
      yield { ...c, layouts: { ...c.layouts, [key]: "contiguous" } };
  }
  if (c.bias) yield { ...c, bias: null };
  if (c.offset) yield { ...c, offset: null };
  for (let k = 0; g.n > 1 && k < g.n; k++)
    yield { ...c, g: { ...g, n: 1 }, input: take(c.input, inShape, 0, k, 1) };
  for (let k = 0; g.cout > 1 && k < g.cout; k++) {
    yield {
      ...c,
      g: { ...g, cout: 1 },
      weight: take(c.weight, wShape, 0, k, 1),
      bias: pick1(c.bias, k),
      scaleWords: pick1(c.scaleWords, k),
      scaleBits: pick1(c.scaleBits, k),
      offset: pick1(c.offset, k),
    };
  }
  // Drop the first or the last output channel (a bug may need a channel's position).
  for (const start of [0, 1]) {
    if (g.cout > 1) {
      const keep = <T>(xs: readonly T[] | null) =>
        xs ? xs.slice(start, start + g.cout - 1) : null;
      yield {
        ...c,
        g: { ...g, cout: g.cout - 1 },
        weight: take(c.weight, wShape, 0, start, g.cout - 1),
        bias: keep(c.bias),
        scaleWords: keep(c.scaleWords),
        scaleBits: keep(c.scaleBits),
        offset: keep(c.offset),
      };
    }
    if (g.cin > 1)
      yield {
        ...c,
        g: { ...g, cin: g.cin - 1 },
        input: take(c.input, inShape, 1, start, g.cin - 1),
        weight: take(c.weight, wShape, 1, start, g.cin - 1),
      };
  }
  for (let k = 0; g.cin > 1 && k < g.cin; k++) {
    yield {
      ...c,
      g: { ...g, cin: 1 },
      input: take(c.input, inShape, 1, k, 1),
      weight: take(c.weight, wShape, 1, k, 1),
    };
  }
  // Drop the last or the first row / column of the input or of the kernel.
  for (const start of [0, 1]) {
    if (g.h > 1)
      yield {
        ...c,
        g: regeometry({ h: g.h - 1 }),
        input: take(c.input, inShape, 2, start, g.h - 1),
      };
    if (g.w > 1)
      yield {
        ...c,
        g: regeometry({ w: g.w - 1 }),
        input: take(c.input, inShape, 3, start, g.w - 1),
      };
    if (g.kh > 1)
      yield {
        ...c,
        g: regeometry({ kh: g.kh - 1 }),
        weight: take(c.weight, wShape, 2, start, g.kh - 1),
      };
    if (g.kw > 1)
      yield {
        ...c,
        g: regeometry({ kw: g.kw - 1 }),
        weight: take(c.weight, wShape, 3, start, g.kw - 1),
      };
  }
  const attributes: Partial<ConvCase["g"]>[] = [
    { padH: 0 },
    { padW: 0 },
    { strideH: 1 },
    { strideW: 1 },
    { dilationH: 1 },
    { dilationW: 1 },
    { offsetX: 0 },
  ];
  for (const change of attributes) {
    const [key, value] = Object.entries(change)[0]!;
    if (g[key as keyof ConvCase["g"]] !== value) yield { ...c, g: regeometry(change) };
  }
  if (c.bias?.some((b) => b !== 0)) yield { ...c, bias: c.bias.map(() => 0) };
  if (c.scaleBits?.some((b) => b !== ONE))
    yield { ...c, scaleBits: c.scaleBits.map(() => ONE), offset: null };
  if (c.scaleWords?.some((w) => w !== ONE_WORD))
    yield { ...c, scaleWords: c.scaleWords.map(() => ONE_WORD) };
  if (c.input.some((x) => x !== 1)) yield { ...c, input: c.input.map(() => 1) };
  if (c.weight.some((x) => x !== 1)) yield { ...c, weight: c.weight.map(() => 1) };
}

function* transQuantParamCandidates(c: TransQuantParamCase): Generator<TransQuantParamCase> {
  if (c.layout !== "contiguous") yield { ...c, layout: "contiguous" };
  if (c.offset) yield { ...c, offset: null, offsetShape: null };
  if (c.scaleShape.length > 1) yield { ...c, scaleShape: [c.scaleBits.length] };
  if (c.offsetShape && c.offsetShape.length > 1) yield { ...c, offsetShape: [c.offset!.length] };
  const n = Math.max(c.scaleBits.length, c.offset?.length ?? 0);
  for (let k = 0; n > 1 && k < n; k++) {
    yield {
      ...c,
      scaleBits: [c.scaleBits[c.scaleBits.length === 1 ? 0 : k]!],
      scaleShape: [1],
      offset: c.offset ? [c.offset[c.offset.length === 1 ? 0 : k]!] : null,
      offsetShape: c.offset ? [1] : null,
    };
  }
}

function candidates(c: FuzzCase): Generator<FuzzCase> {
  return c.kind === "trans-quant-param" ? transQuantParamCandidates(c) : convCandidates(c);
}

const valid = (c: FuzzCase) => c.kind === "trans-quant-param" || (c.g.hOut > 0 && c.g.wOut > 0);

/** The smallest variant of `c` found that still `fails`, trying at most `budget` variants. */
export function shrink(c: FuzzCase, fails: (c: FuzzCase) => boolean, budget = 400): FuzzCase {
  let current = c;
  let tries = 0;
  for (let improved = true; improved && tries < budget; ) {
    improved = false;
    for (const next of candidates(current)) {
      if (!valid(next)) continue;
      if (++tries > budget) break;
      if (fails(next)) {
        current = next;
        improved = true;
        break;
      }
    }
  }
  return current;
}
