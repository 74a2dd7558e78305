// What the wasm kernels share: tensor addresses, the dtype codes of src/abi.ts
// with the `supports` test that sends other dtypes to the dispatcher's no-kernel path, and
// the freeing of tensors a kernel makes for itself.

import {
  Tensor,
  broadcastStrides,
  cast,
  type DType,
  type KernelInputs,
  type OutputSpecs,
  type TensorSpec,
} from "@tsnpu/tensor";
import { DTYPE_F16, DTYPE_F32, DTYPE_I32, DTYPE_I8 } from "../abi.js";
import type { WasmStorage } from "../storage.js";

/** Byte address of a contiguous wasm tensor's first element. */
export const addressOf = (t: Tensor): number =>
  (t.storage as WasmStorage).ptr + t.offset * t.dtype.itemSize;

const CODES: Partial<Record<DType["name"], number>> = {
  float32: DTYPE_F32,
  float16: DTYPE_F16,
  int32: DTYPE_I32,
  int8: DTYPE_I8,
};

/** True for the dtypes that have an assembly/ops code. */
export const hasDTypeCode = (dtype: DType): boolean => CODES[dtype.name] !== undefined;

/** The assembly/ops code of a dtype the kernel's `supports` accepted. */
export const dtypeCode = (dtype: DType): number => CODES[dtype.name]!;

/** A `supports` that accepts calls whose (first) result has one of `dtypes`. */
export function resultDTypeIn(
  ...dtypes: DType["name"][]
): (inputs: unknown, outputs: OutputSpecs) => boolean {
  return (_inputs, [result]) => dtypes.includes(result.dtype.name);
}

/** Marks a tensor the kernel made for itself; returns it. */
export type Temp = <T extends Tensor>(t: T) => T;

/** Tensors marked by the kernel bodies running now; a nested body's sit above its caller's. */
const temps: Tensor[] = [];
const markTemp: Temp = (t) => {
  temps.push(t);
  return t;
};

/**
 * A kernel body that makes tensors for itself (contiguous copies, casts, broadcasts) and marks
 * them with `temp`: their wasm memory goes back when the body returns, not when the garbage
 * collector gets to their finalizers (measured: 300 relu calls on a transposed 1 MiB tensor
 * grew the memory from 16 to 307 MiB). A marked tensor that shares an input's storage (the
 * input itself, or a view of it) is left alone. A call that marks nothing allocates nothing
 * (compiled graphs replay many small steps).
 */
export function withTemps<I extends KernelInputs<readonly string[]>, A, D>(
  body: (inputs: I, attrs: A, outputs: OutputSpecs, derived: D, temp: Temp) => Tensor[],
): (inputs: I, attrs: A, outputs: OutputSpecs, derived: D) => Tensor[] {
  return (inputs, attrs, outputs, derived) => {
    const base = temps.length;
    try {
      return body(inputs, attrs, outputs, derived, markTemp);
    } finally {
      if (temps.length > base) disposeTemps(inputs, base);
    }
  };
}

/** Disposes the temps above `base` that share no storage with `inputs`. */
function disposeTemps(inputs: KernelInputs<readonly string[]>, base: number): void {
  const kept = new Set<Tensor["storage"]>();
  // Variadic inputs ("tensors*") arrive as arrays.
  for (const v of Object.values(inputs))
    for (const t of Array.isArray(v) ? v : [v]) if (t) kept.add(t.storage);
  const made = temps.splice(base);
  for (const t of made) if (!kept.has(t.storage)) t.dispose();
}

/** `t` itself when contiguous, else a contiguous copy marked with `temp` (contiguous() always copies). */
export const dense = (t: Tensor, temp: Temp): Tensor =>
  t.isContiguous() ? t : temp(t.contiguous());

/** True when `t`'s shape is `shape`. */
const sameShape = (t: Tensor, shape: readonly number[]): boolean =>
  t.shape.length === shape.length && t.shape.every((d, i) => d === shape[i]);

/** `t` as a contiguous tensor of the result's dtype and shape (copies marked with `temp`). */
export function broadcastOperand(t: Tensor, spec: TensorSpec, temp: Temp): Tensor {
  const c = temp(cast(t, spec.dtype));
  if (sameShape(c, spec.shape)) return dense(c, temp);
  return temp(
    new Tensor(
      c.storage,
      spec.shape,
      broadcastStrides(c.shape, c.strides, spec.shape),
      c.offset,
      c.dtype,
      c.device,
    ).contiguous(),
  );
}
