// What the wasm kernels share: tensor addresses, and the dtype codes of assembly/ops/lanes.ts
// with the `supports` test that sends other dtypes to the dispatcher's no-kernel path.

import type { DType, Kernel, Tensor } from "@tsnpu/tensor";
import type { WasmStorage } from "../storage.js";

/** Byte address of a contiguous wasm tensor's first element. */
export const addressOf = (t: Tensor): number => (t.storage as WasmStorage).ptr + t.offset * t.dtype.itemSize;

const CODES: Partial<Record<DType["name"], number>> = { float32: 0, float16: 1, int32: 2, int8: 3 };

/** The assembly/ops code of a dtype the kernel's `supports` accepted. */
export const dtypeCode = (dtype: DType): number => CODES[dtype.name]!;

/** A `supports` that accepts calls whose (first) result has one of `dtypes`. */
export function resultDTypeIn(...dtypes: DType["name"][]): NonNullable<Kernel["supports"]> {
  return (_inputs, outputs) => dtypes.includes(outputs[0]!.dtype.name);
}
