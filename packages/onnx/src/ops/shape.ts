// Shape and layout ops. Views (Reshape, Transpose, Squeeze, Unsqueeze, Flatten, Slice, Split,
// Expand, Gather of one index) run as tsnpu views, Concat as cat; Shape, ConstantOfShape,
// Constant, and Gather or Concat of constants give constants at load, which is how shape
// subgraphs fold.

import {
  asStrided,
  cat,
  float32,
  int64,
  narrow,
  permute,
  reshape,
  select,
  squeeze,
  unsqueeze,
  type Tensor,
} from "@tsnpu/tensor";
import { hostInts, hostTensor, tensorFromProto } from "../tensors.js";
import {
  attributeOrInput,
  axisOf,
  constant,
  constantInts,
  required,
  type OpHandler,
} from "./types.js";

const product = (xs: readonly number[]) => xs.reduce((a, b) => a * b, 1);

/** Constant `data` gathered along `axis` at `indices` (any shape), on the host. */
function hostGather(
  data: Tensor,
  axis: number,
  indices: number[],
  indexShape: readonly number[],
): Tensor {
  const src = data.toTypedArray();
  const size = data.shape[axis]!;
  const inner = product(data.shape.slice(axis + 1));
  const outer = product(data.shape.slice(0, axis));
  const out = data.dtype.allocate(outer * indices.length * inner);
  let k = 0;
  for (let o = 0; o < outer; o++) {
    for (const i of indices) {
      const start = (o * size + i) * inner;
      out.set(src.subarray(start, start + inner) as never, k);
      k += inner;
    }
  }
  return hostTensor(
    out,
    [...data.shape.slice(0, axis), ...indexShape, ...data.shape.slice(axis + 1)],
    data.dtype,
  );
}

/** Numpy broadcasting of `shape` onto `target` as a view with zero strides (Expand). */
function expandTo(x: Tensor, target: readonly number[]): Tensor {
  const rank = Math.max(x.ndim, target.length);
  const xs = [...Array(rank - x.ndim).fill(1), ...x.shape];
  const st = [...Array(rank - x.ndim).fill(0), ...x.strides];
  const ts = [...Array(rank - target.length).fill(1), ...target];
  const shape = xs.map((d, i) => (d === 1 ? ts[i]! : d));
  return asStrided(
    x,
    shape,
    shape.map((d, i) => (xs[i] === 1 && d !== 1 ? 0 : st[i]!)),
  );
}

export const shapeOps: Record<string, OpHandler> = {
  Shape: (node, inputs) => {
    const x = required(node, inputs, 0);
    const r = x.ndim;
    const clampAxis = (a: number) => Math.min(Math.max(a < 0 ? a + r : a, 0), r);
    const dims = x.shape.slice(clampAxis(node.int("start", 0)), clampAxis(node.int("end", r)));
    const value = hostTensor(BigInt64Array.from(dims, BigInt), [dims.length], int64);
    return () => [value];
  },

  Size: (node, inputs) => {
    const value = hostTensor(
      BigInt64Array.of(BigInt(required(node, inputs, 0).numel())),
      [],
      int64,
    );
    return () => [value];
  },

  Constant: (node) => {
    let value: Tensor;
    const t = node.tensor("value");
    if (t) value = tensorFromProto(t, `node "${node.label}" (Constant): attribute value`);
    else if (node.has("value_float"))
      value = hostTensor(Float32Array.of(node.float("value_float", 0)), [], float32);
    else if (node.has("value_floats"))
      value = hostTensor(
        Float32Array.from(node.floats("value_floats")!),
        [node.floats("value_floats")!.length],
        float32,
      );
    else if (node.has("value_int"))
      value = hostTensor(BigInt64Array.of(BigInt(node.int("value_int", 0))), [], int64);
    else if (node.has("value_ints"))
      value = hostTensor(
        BigInt64Array.from(node.ints("value_ints")!, BigInt),
        [node.ints("value_ints")!.length],
        int64,
      );
    else
      throw node.unsupported(
        "value",
        node.attributeText(),
        "value, value_float(s) or value_int(s) (no sparse or string constants)",
      );
    return () => [value];
  },

  ConstantOfShape: (node, inputs) => {
    const shape = constantInts(node, inputs, 0, "shape") ?? [];
    const t = node.tensor("value");
    const fill = t
      ? tensorFromProto(t, `node "${node.label}" (ConstantOfShape): attribute value`)
      : hostTensor(Float32Array.of(0), [1], float32);
    const data = fill.dtype.allocate(product(shape));
    data.fill(fill.toTypedArray()[0] as never);
    const value = hostTensor(data, shape, fill.dtype);
    return () => [value];
  },

  Gather: (node, inputs, ctx) => {
    const data = required(node, inputs, 0);
    const indexTensor = constant(node, inputs, 1, "indices");
    if (!indexTensor) throw node.error("input 1 (indices) is required but missing");
    const axis = axisOf(node, node.int("axis", 0), data.ndim);
    const size = data.shape[axis]!;
    const indices = hostInts(indexTensor).map((i) => (i < 0 ? i + size : i));
    if (indices.some((i) => i < 0 || i >= size))
      throw node.unsupported(
        "indices",
        hostInts(indexTensor),
        `indices in [${-size}, ${size - 1}]`,
      );
    ctx.operand(0);
    if (!data.isSymbolic) return ([d]) => [hostGather(d!, axis, indices, indexTensor.shape)];
    if (indexTensor.ndim === 0) return ([d]) => [select(d!, axis, indices[0]!)];
    const contiguousRun = indexTensor.ndim === 1 && indices.every((v, k) => v === indices[0]! + k);
    if (!contiguousRun)
      throw node.unsupported(
        "indices",
        hostInts(indexTensor),
        "a scalar or a run of consecutive indices for run-time data",
      );
    return ([d]) => [narrow(d!, axis, indices[0] ?? 0, indices.length)];
  },

  Concat: (node, inputs, ctx) => {
    const parts = inputs.map((_, i) => required(node, inputs, i));
    const axis = axisOf(node, node.int("axis", 0), parts[0]!.ndim);
    parts.forEach((_, i) => ctx.operand(i));
    return (xs) => [cat(xs as Tensor[], axis)];
  },

  Unsqueeze: (node, inputs) => {
    const x = required(node, inputs, 0);
    const axes = attributeOrInput(node, inputs, "axes", 13, 1) ?? [];
    const rank = x.ndim + axes.length;
    const sorted = axes.map((a) => axisOf(node, a, rank, "axes")).sort((a, b) => a - b);
    return ([t]) => [sorted.reduce((y, a) => unsqueeze(y, a), t!)];
  },

  Squeeze: (node, inputs) => {
    const x = required(node, inputs, 0);
    const axes = attributeOrInput(node, inputs, "axes", 13, 1);
    const dims = axes
      ? axes.map((a) => axisOf(node, a, x.ndim, "axes"))
      : x.shape.flatMap((d, i) => (d === 1 ? [i] : []));
    const bad = dims.find((d) => x.shape[d] !== 1);
    if (bad !== undefined)
      throw node.unsupported("axes", axes, `axes of size 1 (axis ${bad} has size ${x.shape[bad]})`);
    const descending = [...dims].sort((a, b) => b - a);
    return ([t]) => [descending.reduce((y, a) => squeeze(y, a), t!)];
  },

  Reshape: (node, inputs) => {
    const x = required(node, inputs, 0);
    const requested = constantInts(node, inputs, 1, "shape");
    if (!requested) throw node.error("input 1 (shape) is required but missing");
    const allowZero = node.int("allowzero", 0) === 1;
    const shape = requested.map((d, i) => (d === 0 && !allowZero ? x.shape[i]! : d));
    return ([t]) => [reshape(t!, shape)];
  },

  Flatten: (node, inputs) => {
    const x = required(node, inputs, 0);
    const axis = node.int("axis", 1);
    const a = axis < 0 ? axis + x.ndim : axis;
    if (a < 0 || a > x.ndim)
      throw node.unsupported("axis", axis, `an axis in [${-x.ndim}, ${x.ndim}]`);
    const shape = [product(x.shape.slice(0, a)), product(x.shape.slice(a))];
    return ([t]) => [reshape(t!, shape)];
  },

  Transpose: (node, inputs) => {
    const x = required(node, inputs, 0);
    const perm = node.ints("perm", [...Array(x.ndim).keys()].reverse());
    return ([t]) => [permute(t!, perm)];
  },

  Slice: (node, inputs) => {
    const x = required(node, inputs, 0);
    const old = node.opset < 10;
    const starts = old ? node.ints("starts") : constantInts(node, inputs, 1, "starts");
    const ends = old ? node.ints("ends") : constantInts(node, inputs, 2, "ends");
    if (!starts || !ends || starts.length !== ends.length)
      throw node.error("starts and ends are required and must have one length");
    const axes =
      (old ? node.ints("axes") : constantInts(node, inputs, 3, "axes")) ?? starts.map((_, i) => i);
    const steps = (old ? undefined : constantInts(node, inputs, 4, "steps")) ?? starts.map(() => 1);
    const shape = [...x.shape];
    const stepOf = x.shape.map(() => 1);
    const startOf = x.shape.map(() => 0);
    axes.forEach((axis, k) => {
      const a = axisOf(node, axis, x.ndim, "axes");
      const dim = x.shape[a]!;
      const step = steps[k]!;
      if (step <= 0)
        throw node.unsupported(
          "steps",
          steps,
          "positive steps (negative steps need a reverse op tsnpu does not have yet)",
        );
      const clampIndex = (v: number) => Math.min(Math.max(v < 0 ? v + dim : v, 0), dim);
      const start = clampIndex(starts[k]!);
      const end = clampIndex(ends[k]!);
      shape[a] = Math.max(0, Math.ceil((end - start) / step));
      stepOf[a] = step;
      startOf[a] = start;
    });
    return ([input]) => {
      const t = input!;
      const offset = startOf.reduce((acc, s, a) => acc + s * t.strides[a]!, 0);
      return [
        asStrided(
          t,
          shape,
          t.strides.map((s, a) => s * stepOf[a]!),
          offset,
        ),
      ];
    };
  },

  Split: (node, inputs) => {
    const x = required(node, inputs, 0);
    const axis = axisOf(node, node.int("axis", 0), x.ndim);
    const dim = x.shape[axis]!;
    const n = node.outputs.length;
    let sizes = attributeOrInput(node, inputs, "split", 13, 1);
    if (!sizes && node.has("num_outputs")) {
      const chunk = Math.ceil(dim / node.int("num_outputs", n));
      sizes = Array.from({ length: n }, (_, i) => Math.max(0, Math.min(chunk, dim - i * chunk)));
    }
    if (!sizes) {
      if (dim % n !== 0)
        throw node.error(`axis ${axis} of size ${dim} does not split evenly into ${n} outputs`);
      sizes = Array(n).fill(dim / n);
    }
    if (sizes.length !== n || sizes.reduce((a, b) => a + b, 0) !== dim)
      throw node.unsupported("split", sizes, `${n} sizes adding up to ${dim}`);
    const starts = sizes.map((_, i) => sizes!.slice(0, i).reduce((a, b) => a + b, 0));
    return ([t]) => sizes!.map((s, i) => narrow(t!, axis, starts[i]!, s));
  },

  Expand: (node, inputs) => {
    const shape = constantInts(node, inputs, 1, "shape");
    if (!shape) throw node.error("input 1 (shape) is required but missing");
    return ([t]) => [expandTo(t!, shape)];
  },

  Tile: (node, inputs) => {
    const x = required(node, inputs, 0);
    const repeats = constantInts(node, inputs, 1, "repeats");
    if (!repeats || repeats.length !== x.ndim)
      throw node.unsupported("repeats", repeats, `${x.ndim} repeat counts`);
    // [d0, d1] tiled [r0, r1] = [1, d0, 1, d1] broadcast to [r0, d0, r1, d1], then merged pairwise.
    const interleaved = x.shape.flatMap((d) => [1, d]);
    const target = x.shape.flatMap((d, i) => [repeats[i]!, d]);
    const out = x.shape.map((d, i) => d * repeats[i]!);
    return ([t]) => [reshape(expandTo(reshape(t!, interleaved), target), out)];
  },
};
