// The inputs of op-table samples: seeded values that lean on each dtype's edges, and the memory
// layouts a tensor may reach a kernel in. A sample's tensors are described once (dtype, shape,
// logical values, layout) and built on whichever device runs them, so the device under test gets
// the non-contiguous views while the cpu reference gets contiguous copies of the same values.

import {
  asStrided,
  contiguousStrides,
  float16,
  float32,
  float64,
  forEachStrided,
  int64,
  numel,
  tensor,
  toFloat16Bits,
  writeScalar,
  type DType,
  type Tensor,
  type TypedArray,
} from "@tsnpu/tensor";
import { draws, seededRandom } from "../random-cases.js";
import { elementsOf, rawBits } from "./element-bits.js";

/**
 * How a tensor's elements sit in its storage:
 * - contiguous: row-major, offset 0;
 * - reversed: every dim's order reversed (the storage is the transpose; permute(n-1, ..., 0));
 * - gapped: every other element along the last dim, from storage offset 1 (gaps hold a filler);
 * - expanded: one dim of size > 1 has stride 0 (its values repeat, as torch's expand).
 */
export type Layout = "contiguous" | "reversed" | "gapped" | "expanded";

export interface TensorInput {
  readonly dtype: DType;
  readonly shape: readonly number[];
  /** Elements in row-major order (for `expanded`, the last write to a shared element wins). */
  readonly values: TypedArray;
  readonly layout: Layout;
}

/** What the gaps of a `gapped` storage hold: a value no kernel should ever read. */
const GAP_FILLER = 99;

interface StorageLayout {
  readonly length: number;
  readonly strides: number[];
  readonly offset: number;
}

function storageLayout(shape: readonly number[], layout: Layout): StorageLayout {
  const n = numel(shape);
  switch (layout) {
    case "contiguous":
      return { length: n, strides: contiguousStrides(shape), offset: 0 };
    case "reversed":
      return { length: n, strides: contiguousStrides([...shape].reverse()).reverse(), offset: 0 };
    case "gapped": {
      const wide = shape.map((s, i) => (i === shape.length - 1 ? 2 * s : s));
      const strides = contiguousStrides(wide);
      strides[shape.length - 1] = 2;
      return { length: 1 + 2 * n, strides, offset: 1 };
    }
    case "expanded": {
      const d = shape.findIndex((s) => s > 1); // layoutsFor offers "expanded" only when there is one
      const strides = contiguousStrides(shape.map((s, i) => (i === d ? 1 : s)));
      strides[d] = 0;
      return { length: n / shape[d]!, strides, offset: 0 };
    }
  }
}

/** The layouts a tensor of this shape can take (each differs from contiguous). */
export function layoutsFor(shape: readonly number[]): Layout[] {
  const layouts: Layout[] = ["contiguous"];
  if (shape.filter((s) => s > 1).length >= 2) layouts.push("reversed");
  if (shape.length >= 1) layouts.push("gapped");
  if (shape.some((s) => s > 1)) layouts.push("expanded");
  return layouts;
}

/** The input's storage in its layout, written bit for bit. */
function storageOf(input: TensorInput): { data: TypedArray; strides: number[]; offset: number } {
  const { dtype, shape } = input;
  const { length, strides, offset } = storageLayout(shape, input.layout);
  const data = dtype.allocate(length);
  for (let i = 0; i < length; i++) writeScalar(dtype, data, i, GAP_FILLER);
  const [to, from] = [rawBits(data), rawBits(input.values)];
  forEachStrided(shape, strides, offset, (s, k) => {
    to[s] = from[k]!;
  });
  return { data, strides, offset };
}

/** The input as a tensor on `device`, in its layout (a view through the public asStrided op). */
export function materialize(input: TensorInput, device: string): Tensor {
  const { data, strides, offset } = storageOf(input);
  return asStrided(tensor(data, { dtype: input.dtype, device }), input.shape, strides, offset);
}

/** The same logical elements as `materialize(input, "cpu")`, bit for bit, contiguous: what the reference runs on. */
export function contiguousOnCpu(input: TensorInput): Tensor {
  return tensor(elementsOf(materialize(input, "cpu")), { dtype: input.dtype }).reshape([
    ...input.shape,
  ]);
}

// Edge values by dtype. Float specials are bit patterns: both zeros, both infinities, quiet and
// signalling NaNs with payloads and either sign, the smallest and largest subnormals and normals,
// and values at float16's edges (65504, 65520 rounds to inf, 2^-24 its smallest subnormal);
// float16 and float32 also get random bit patterns (any NaN payload).
export const F32_SPECIALS = [
  0, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000, 0x7f800001, 0xffa12345, 0x7fd55555,
  0x00000001, 0x807fffff, 0x00800000, 0x7f7fffff, 0xff7fffff, 0x477fe000, 0x477ff000, 0x33800000,
  0x3f800000, 0xbf800000, 0x3f000000,
];
export const F16_SPECIALS = [
  0, 0x8000, 0x7c00, 0xfc00, 0x7e00, 0xfe00, 0x7c01, 0xfd55, 0x7dff, 0x0001, 0x03ff, 0x8001, 0x83ff,
  0x0400, 0x7bff, 0xfbff, 0x3c00, 0xbc00, 0x3800,
];
const F64_SPECIALS = [
  0,
  -0,
  Infinity,
  -Infinity,
  Number.NaN,
  Number.MIN_VALUE,
  -Number.MIN_VALUE,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  2 ** 53 + 2,
  65504,
  65520,
  2 ** -24,
  1,
  -1,
  0.5,
];
const F64_NAN_BITS = [
  0x7ff8000000000000n,
  0xfff8000000000000n,
  0x7ff0000000000001n,
  0xfff4000000abcdefn,
];

/** The extremes and small values of an integer dtype, as numbers (int64: bigints). */
function intSpecials(dtype: DType): (number | bigint)[] {
  if (dtype === int64)
    return [-(1n << 63n), (1n << 63n) - 1n, -1n, 0n, 1n, 2n ** 53n + 1n, -(2n ** 31n)];
  const bits = dtype.itemSize * 8;
  const [lo, hi] = dtype.isSigned ? [-(2 ** (bits - 1)), 2 ** (bits - 1) - 1] : [0, 2 ** bits - 1];
  return [lo, hi, lo + 1, hi - 1, 0, 1, dtype.isSigned ? -1 : 2];
}

/** Seeded draws for one op's samples. */
export class SampleGen {
  readonly random: () => number;
  readonly int: (lo: number, hi: number) => number;
  readonly pick: <T>(xs: readonly T[]) => T;

  constructor(seed: number) {
    this.random = seededRandom(seed);
    ({ int: this.int, pick: this.pick } = draws(this.random));
  }

  chance(p: number): boolean {
    return this.random() < p;
  }

  /** `ndim` dims (or a random 0..maxDims) of sizes 1..maxSize. */
  shape(maxDims = 4, maxSize = 6, ndim = this.int(0, maxDims)): number[] {
    return Array.from({ length: ndim }, () => this.int(1, maxSize));
  }

  /**
   * `n` elements of `dtype`: a fraction `specials` of edge values, the rest plain values of one
   * random magnitude (so sums cancel and round) or, for integers, anything in range.
   */
  values(dtype: DType, n: number, specials = 0.25): TypedArray {
    const out = dtype.allocate(n);
    const scale = 2 ** this.int(-20, 12);
    const plain = () => (this.random() - 0.5) * scale;
    // Specials are written as bits: reading a float into a JS number may quiet a signalling NaN.
    const bits = rawBits(out);
    for (let i = 0; i < n; i++) {
      const special = this.chance(specials);
      if (dtype.kind === "bool") out[i] = this.int(0, 1);
      else if (dtype === float16)
        out[i] = special
          ? this.chance(0.3)
            ? this.int(0, 0xffff)
            : this.pick(F16_SPECIALS)
          : toFloat16Bits(plain());
      else if (dtype === float32 && special)
        bits[i] = this.chance(0.3) ? this.int(0, 2 ** 32 - 1) : this.pick(F32_SPECIALS);
      else if (dtype === float64 && special) {
        if (this.chance(0.2)) bits[i] = this.pick(F64_NAN_BITS);
        else out[i] = this.pick(F64_SPECIALS);
      } else if (dtype.kind === "float") out[i] = plain();
      else if (dtype === int64)
        out[i] = special
          ? (this.pick(intSpecials(dtype)) as bigint)
          : BigInt(this.int(-(2 ** 31), 2 ** 31)) * BigInt(this.int(-(2 ** 31), 2 ** 31));
      else {
        const [lo, hi] = intSpecials(dtype) as [number, number];
        out[i] = special ? (this.pick(intSpecials(dtype)) as number) : this.int(lo, hi);
      }
    }
    return out;
  }

  /**
   * A tensor input: edge-heavy random values (or `values`), in `layout` or a random layout its
   * shape allows (contiguous 40% of the time).
   */
  input(dtype: DType, shape: readonly number[], options: InputOptions = {}): TensorInput {
    const layouts = layoutsFor(shape);
    const layout =
      options.layout ??
      (layouts.length === 1 || this.chance(0.4) ? "contiguous" : this.pick(layouts.slice(1)));
    const values = options.values
      ? toElements(dtype, options.values)
      : this.values(dtype, numel(shape), options.specials);
    return { dtype, shape, values, layout };
  }
}

export interface InputOptions {
  readonly layout?: Layout;
  /** Fraction of edge values (default 0.25); ignored with `values`. */
  readonly specials?: number;
  /** Given elements (a typed array of the dtype's elements, or plain numbers / bigints to convert). */
  readonly values?: TypedArray | readonly (number | bigint | boolean)[];
}

function toElements(
  dtype: DType,
  values: TypedArray | readonly (number | bigint | boolean)[],
): TypedArray {
  if (ArrayBuffer.isView(values)) return values;
  const data = dtype.allocate(values.length);
  values.forEach((v, i) => writeScalar(dtype, data, i, v));
  return data;
}

/** A stable seed per op name, so adding an entry does not change the samples of the others. */
export function seedOf(op: string): number {
  let h = 2166136261;
  for (let i = 0; i < op.length; i++) h = Math.imul(h ^ op.charCodeAt(i), 16777619);
  return h >>> 0;
}
