// Printing tensors exactly like torch's repr (torch/_tensor_str.py with default print options:
// precision 4, threshold 1000, edgeitems 3, linewidth 80). Numbers are rounded half-to-even on
// their exact binary value, as Python's format() does (toFixed/toExponential round ties up).

import { bool, float32, int64 } from "./dtype.js";
import { readScalar, type Scalar } from "./numerics/elements.js";
import type { Tensor } from "./tensor.js";

const PRECISION = 4;
const THRESHOLD = 1000;
const EDGE_ITEMS = 3;
const LINE_WIDTH = 80;

/** torch's repr of a tensor, e.g. `tensor([1, 2, 3], dtype=torch.int8)`. */
export function formatTensor(t: Tensor): string {
  const prefix = "tensor(";
  const suffixes: string[] = [];
  if (t.device.type !== "cpu") suffixes.push(`device='${t.device.type}:${t.device.index ?? 0}'`);
  let body: string;
  if (t.isSymbolic) {
    // Like torch's meta tensors: no values to show.
    suffixes.push(`size=${pythonTuple(t.shape)}`);
    if (t.dtype !== float32) suffixes.push(`dtype=${t.dtype}`);
    body = "...";
  } else if (t.numel() === 0) {
    if (t.ndim !== 1) suffixes.push(`size=${pythonTuple(t.shape)}`);
    if (t.dtype !== float32) suffixes.push(`dtype=${t.dtype}`);
    body = "[]";
  } else {
    if (t.dtype !== float32 && t.dtype !== int64 && t.dtype !== bool)
      suffixes.push(`dtype=${t.dtype}`);
    body = formatValues(t, prefix.length);
  }
  return addSuffixes(prefix + body, suffixes, prefix.length);
}

function pythonTuple(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
}

/** Appends `, suffix` items, moving one to a new line when the current line would pass 80 chars. */
function addSuffixes(text: string, suffixes: readonly string[], indent: number): string {
  let out = text;
  let lastLineLength = text.length - text.lastIndexOf("\n") + 1; // torch's arithmetic, kept as is
  for (const suffix of suffixes) {
    if (lastLineLength + suffix.length + 2 > LINE_WIDTH) {
      out += `,\n${" ".repeat(indent)}${suffix}`;
      lastLineLength = indent + suffix.length;
    } else {
      out += `, ${suffix}`;
      lastLineLength += suffix.length + 2;
    }
  }
  return `${out})`;
}

/** Indices shown along a dim of `size`: all, or the edge items around a null for "...". */
function shownIndices(size: number, summarize: boolean): (number | null)[] {
  const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
  if (!summarize || size <= 2 * EDGE_ITEMS) return range(0, size);
  return [...range(0, EDGE_ITEMS), null, ...range(size - EDGE_ITEMS, size)];
}

/**
 * The nested-bracket body of a non-empty tensor, its first line indented by `indent`. Reads only
 * the elements shown, in place through the view's strides: the cost follows what is printed, not
 * the tensor's size (copying arange(1e7) out first took seconds).
 */
function formatValues(t: Tensor, indent: number): string {
  const data = t.storage.data;
  const value = (i: number): Scalar => readScalar(t.dtype, data, i);
  const shape = t.shape;
  const strides = t.strides;
  const summarize = t.numel() > THRESHOLD;

  // The formatter's width comes from the values that will be shown, as in torch.
  const shown: Scalar[] = [];
  const collect = (dim: number, base: number): void => {
    if (dim === shape.length) return void shown.push(value(base));
    for (const i of shownIndices(shape[dim]!, summarize))
      if (i !== null) collect(dim + 1, base + i * strides[dim]!);
  };
  collect(0, t.offset);
  const fmt = t.dtype.isFloatingPoint ? floatFormatter(shown as number[]) : plainFormatter(shown);

  const render = (dim: number, base: number, indent: number): string => {
    const rest = shape.length - dim;
    if (rest === 0) return fmt.format(value(base));
    const indices = shownIndices(shape[dim]!, summarize);
    if (rest === 1) {
      const items = indices.map((i) =>
        i === null ? " ..." : fmt.format(value(base + i * strides[dim]!)),
      );
      const perLine = Math.max(1, Math.floor((LINE_WIDTH - indent) / (fmt.width + 2)));
      const lines: string[] = [];
      for (let i = 0; i < items.length; i += perLine)
        lines.push(items.slice(i, i + perLine).join(", "));
      return `[${lines.join(`,\n${" ".repeat(indent + 1)}`)}]`;
    }
    const blocks = indices.map((i) =>
      i === null ? "..." : render(dim + 1, base + i * strides[dim]!, indent + 1),
    );
    return `[${blocks.join(`,${"\n".repeat(rest - 1)}${" ".repeat(indent + 1)}`)}]`;
  };
  return render(0, t.offset, indent);
}

interface Formatter {
  readonly width: number;
  format(v: Scalar): string;
}

function padded(width: number, text: string): string {
  return text.padStart(width);
}

/** Integers and bools: Python's str(), right-aligned to the widest. */
function plainFormatter(values: readonly Scalar[]): Formatter {
  const str = (v: Scalar) => (typeof v === "boolean" ? (v ? "True" : "False") : String(v));
  const width = values.reduce<number>((w, v) => Math.max(w, str(v).length), 1);
  return { width, format: (v) => padded(width, str(v)) };
}

/**
 * torch's float modes, chosen from the non-zero finite values: all integral -> `1.`; else 4
 * decimals; scientific when max/min > 1000, max > 1e8, or (not integral) min < 1e-4.
 */
function floatFormatter(values: readonly number[]): Formatter {
  const finite = values.filter((v) => Number.isFinite(v) && v !== 0);
  let mode: "int" | "fixed" | "sci" = "int";
  let width = 1;
  if (finite.length > 0) {
    const magnitudes = finite.map(Math.abs);
    const max = Math.max(...magnitudes);
    const min = Math.min(...magnitudes);
    const integral = finite.every((v) => v === Math.ceil(v));
    const wide = max / min > 1000 || max > 1e8;
    mode = integral ? (wide ? "sci" : "int") : wide || min < 1e-4 ? "sci" : "fixed";
    const text =
      mode === "sci"
        ? formatExponential
        : mode === "int"
          ? (v: number) => `${formatFixed(v, 0)}.`
          : (v: number) => formatFixed(v, PRECISION);
    width = finite.reduce((w, v) => Math.max(w, text(v).length), 1);
  }
  const format = (v: number): string => {
    if (!Number.isFinite(v)) return Number.isNaN(v) ? "nan" : v > 0 ? "inf" : "-inf";
    if (mode === "sci") return formatExponential(v);
    return mode === "int" ? `${formatFixed(v, 0)}.` : formatFixed(v, PRECISION);
  };
  return { width, format: (v) => padded(width, format(v as number)) };
}

const f64 = new DataView(new ArrayBuffer(8));

/** round_half_even(|x| * 10^scale), computed exactly on the binary value of finite x. */
function scaledRound(x: number, scale: number): bigint {
  f64.setFloat64(0, Math.abs(x));
  const hi = f64.getUint32(0);
  const biased = hi >>> 20;
  const fraction = (BigInt(hi & 0xfffff) << 32n) | BigInt(f64.getUint32(4));
  const [mantissa, exp] =
    biased === 0 ? [fraction, -1074] : [fraction | (1n << 52n), biased - 1075];
  let num = exp >= 0 ? mantissa << BigInt(exp) : mantissa;
  let den = exp >= 0 ? 1n : 1n << BigInt(-exp);
  if (scale >= 0) num *= 10n ** BigInt(scale);
  else den *= 10n ** BigInt(-scale);
  const q = num / den;
  const twice = 2n * (num - q * den);
  return twice > den || (twice === den && (q & 1n) === 1n) ? q + 1n : q;
}

const sign = (x: number): string => (x < 0 || Object.is(x, -0) ? "-" : "");

/** Python's `f"{x:.{digits}f}"` for finite x. */
function formatFixed(x: number, digits: number): string {
  const s = scaledRound(x, digits)
    .toString()
    .padStart(digits + 1, "0");
  return digits === 0 ? sign(x) + s : `${sign(x)}${s.slice(0, -digits)}.${s.slice(-digits)}`;
}

/** Python's `f"{x:.4e}"` for finite x: `1.2345e+06`, exponent of at least two digits. */
function formatExponential(x: number): string {
  let exponent = 0;
  let digits = 0n;
  if (x !== 0) {
    exponent = Math.floor(Math.log10(Math.abs(x)));
    const lo = 10n ** BigInt(PRECISION);
    // log10 may be off by one near powers of ten, and rounding may carry into a new digit.
    for (;;) {
      digits = scaledRound(x, PRECISION - exponent);
      if (digits >= lo * 10n) exponent++;
      else if (digits < lo) exponent--;
      else break;
    }
  }
  const d = digits.toString().padStart(PRECISION + 1, "0");
  const e = `${exponent < 0 ? "-" : "+"}${String(Math.abs(exponent)).padStart(2, "0")}`;
  return `${sign(x)}${d[0]}.${d.slice(1)}e${e}`;
}
