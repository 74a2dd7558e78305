// Tensor's op methods (`t.add(u)`, `t.view(2, 3)`, `t.to("npu")`), attached to Tensor.prototype
// from the ops side, as tfjs-core does: tensor.ts stays a leaf of the import graph, and the
// declaration merging below gives the class the methods' types. src/index.ts imports this
// module, so every user of the package sees the methods.

import { Device, type DeviceLike } from "../device.js";
import { DType, dtypes, type DTypeName } from "../dtype.js";
import { ArgumentError, GraphTraceError, describe } from "../errors.js";
import { asDType, Tensor } from "../tensor.js";
import { targetDevice } from "../dispatch/backend.js";
import { allclose, eq, equal } from "./compare.js";
import { cast, clone, contiguous } from "./copy.js";
import { abs, add, clamp, div, mul, neg, relu, sub } from "./elementwise.js";
import { matmul } from "./matmul.js";
import { amax, amin, argmax, mean, sum } from "./reduction.js";
import {
  flatten,
  narrow,
  permute,
  reshape,
  select,
  squeeze,
  transpose,
  unsqueeze,
  view,
} from "./views.js";

type ToTarget = DeviceLike | DType | DTypeName | { device?: DeviceLike; dtype?: DType | DTypeName };

/** The Tensor methods that wrap public op functions (see each op's file for its schema). */
interface TensorMethods {
  // ---- conversion and devices
  /** A copy or a cast: `to("npu")`, `to(float16)`, `to({ device, dtype })`. Returns `this` when nothing changes. */
  to(target: ToTarget): Tensor;
  cpu(): Tensor;
  /** To the (simulated) Ascend NPU; needs "@tsnpu/backend-npu-sim" (or "tsnpu"). */
  npu(index?: number): Tensor;
  contiguous(): Tensor;
  clone(): Tensor;
  // ---- views
  view(...shape: number[] | [readonly number[]]): Tensor;
  reshape(...shape: number[] | [readonly number[]]): Tensor;
  permute(...dims: number[] | [readonly number[]]): Tensor;
  transpose(dim0: number, dim1: number): Tensor;
  squeeze(dim?: number): Tensor;
  unsqueeze(dim: number): Tensor;
  narrow(dim: number, start: number, length: number): Tensor;
  select(dim: number, index: number): Tensor;
  flatten(startDim?: number, endDim?: number): Tensor;
  // ---- math
  add(other: Tensor | number, alpha?: number): Tensor;
  sub(other: Tensor | number, alpha?: number): Tensor;
  mul(other: Tensor | number): Tensor;
  div(other: Tensor | number): Tensor;
  neg(): Tensor;
  abs(): Tensor;
  relu(): Tensor;
  clamp(min?: number | null, max?: number | null): Tensor;
  eq(other: Tensor | number): Tensor;
  sum(dim?: number | readonly number[], keepdim?: boolean): Tensor;
  mean(dim?: number | readonly number[], keepdim?: boolean): Tensor;
  amax(dim?: number | readonly number[], keepdim?: boolean): Tensor;
  amin(dim?: number | readonly number[], keepdim?: boolean): Tensor;
  argmax(dim?: number, keepdim?: boolean): Tensor;
  matmul(other: Tensor): Tensor;
  equal(other: Tensor): boolean;
  allclose(other: Tensor, rtol?: number, atol?: number): boolean;
}

declare module "../tensor.js" {
  interface Tensor extends TensorMethods {}
}

const methods: TensorMethods & ThisType<Tensor> = {
  to(target) {
    const spec =
      typeof target === "object" &&
      target !== null &&
      !(target instanceof Device) &&
      !(target instanceof DType)
        ? target
        : null;
    let dtype: DType | undefined;
    let device: Device | undefined;
    if (spec) {
      dtype = spec.dtype === undefined ? undefined : asDType(spec.dtype);
      device =
        spec.device === undefined ? undefined : targetDevice("to", "device", spec.device, true);
    } else if (typeof target === "string" && target in dtypes) dtype = dtypes[target as DTypeName];
    else if (target instanceof Device || typeof target === "string")
      device = targetDevice("to", "target", target, true);
    else if (target instanceof DType) dtype = target;
    else
      throw new ArgumentError(
        "to",
        "target",
        "a device, a dtype or { device, dtype }",
        describe(target),
      );
    let t: Tensor = this;
    if (dtype && dtype !== t.dtype) t = cast(t, dtype);
    if (device && !device.equals(t.device)) t = copyToDevice(t, device);
    return t;
  },
  cpu() {
    return this.to("cpu");
  },
  npu(index = 0) {
    return this.to(`npu:${index}`);
  },
  contiguous() {
    return this.isContiguous() ? this : contiguous(this);
  },
  clone() {
    return clone(this);
  },

  view(...shape) {
    return view(this, flatArgs(shape));
  },
  reshape(...shape) {
    return reshape(this, flatArgs(shape));
  },
  permute(...dims) {
    return permute(this, flatArgs(dims));
  },
  transpose(dim0, dim1) {
    return transpose(this, dim0, dim1);
  },
  squeeze(dim) {
    return squeeze(this, dim);
  },
  unsqueeze(dim) {
    return unsqueeze(this, dim);
  },
  narrow(dim, start, length) {
    return narrow(this, dim, start, length);
  },
  select(dim, index) {
    return select(this, dim, index);
  },
  flatten(startDim = 0, endDim = -1) {
    return flatten(this, startDim, endDim);
  },

  add(other, alpha) {
    return add(this, other, alpha);
  },
  sub(other, alpha) {
    return sub(this, other, alpha);
  },
  mul(other) {
    return mul(this, other);
  },
  div(other) {
    return div(this, other);
  },
  neg() {
    return neg(this);
  },
  abs() {
    return abs(this);
  },
  relu() {
    return relu(this);
  },
  clamp(min, max) {
    return clamp(this, min, max);
  },
  eq(other) {
    return eq(this, other);
  },
  sum(dim, keepdim = false) {
    return sum(this, dim, keepdim);
  },
  mean(dim, keepdim = false) {
    return mean(this, dim, keepdim);
  },
  amax(dim, keepdim = false) {
    return amax(this, dim, keepdim);
  },
  amin(dim, keepdim = false) {
    return amin(this, dim, keepdim);
  },
  argmax(dim, keepdim = false) {
    return argmax(this, dim, keepdim);
  },
  matmul(other) {
    return matmul(this, other);
  },
  equal(other) {
    return equal(this, other);
  },
  allclose(other, rtol, atol) {
    return allclose(this, other, rtol, atol);
  },
};

// Non-enumerable, like methods written in the class body.
for (const [name, value] of Object.entries(methods)) {
  Object.defineProperty(Tensor.prototype, name, { value, writable: true, configurable: true });
}

function copyToDevice(t: Tensor, device: Device): Tensor {
  if (t.isSymbolic)
    throw new GraphTraceError(
      "moving a tensor between devices inside a traced graph is not supported: move inputs before calling the compiled model",
    );
  const out = Tensor.forOutput(t.shape, t.dtype, device);
  t.copyInto(out.storage.data);
  return out;
}

function flatArgs(args: number[] | [readonly number[]]): number[] {
  return Array.isArray(args[0]) ? [...(args[0] as readonly number[])] : (args as number[]);
}
