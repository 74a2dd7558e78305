// ONNX TensorProto <-> tsnpu tensors on the cpu, and host-side reads of small constant tensors
// (shapes, axes, pads) for ops that take them as inputs.

import {
  Device,
  HostStorage,
  Tensor,
  bool,
  float16,
  float32,
  float64,
  int16,
  int32,
  int64,
  int8,
  numel,
  uint8,
  type DType,
  type TypedArray,
} from "@tsnpu/tensor";
import { OnnxError } from "./errors.js";
import { toBigInt, toNumber, type Int64, type TensorProto } from "./proto.js";

/** ONNX TensorProto.DataType codes tsnpu has a dtype for. */
const dtypeByCode = new Map<number, DType>([
  [1, float32],
  [2, uint8],
  [3, int8],
  [5, int16],
  [6, int32],
  [7, int64],
  [9, bool],
  [10, float16],
  [11, float64],
]);
const onnxTypeNames: Record<number, string> = {
  0: "UNDEFINED",
  1: "FLOAT",
  2: "UINT8",
  3: "INT8",
  4: "UINT16",
  5: "INT16",
  6: "INT32",
  7: "INT64",
  8: "STRING",
  9: "BOOL",
  10: "FLOAT16",
  11: "DOUBLE",
  12: "UINT32",
  13: "UINT64",
  14: "COMPLEX64",
  15: "COMPLEX128",
  16: "BFLOAT16",
};

function onnxTypeName(code: number): string {
  return onnxTypeNames[code] ?? `type ${code}`;
}

/** The tsnpu dtype of an ONNX element type; `what` says where the type appears, for the error. */
export function dtypeOf(code: number, what: string): DType {
  const dtype = dtypeByCode.get(code);
  if (!dtype) {
    const known = [...dtypeByCode.keys()].map(onnxTypeName).join(", ");
    throw new OnnxError(
      `${what}: element type ${onnxTypeName(code)} is not supported (supported: ${known})`,
    );
  }
  return dtype;
}

export function hostTensor(data: TypedArray, shape: readonly number[], dtype: DType): Tensor {
  return Tensor.fromStorage(new HostStorage(dtype, data), shape, Device.of("cpu"));
}

/** Copies little-endian raw bytes into a fresh typed array of the dtype (raw_data may be unaligned). */
function fromRawBytes(raw: Uint8Array, dtype: DType, count: number, what: string): TypedArray {
  if (raw.length !== count * dtype.itemSize) {
    throw new OnnxError(
      `${what}: raw_data holds ${raw.length} bytes, but ${count} ${dtype.name} elements need ${count * dtype.itemSize}`,
    );
  }
  const data = dtype.allocate(count);
  new Uint8Array(data.buffer, data.byteOffset, raw.length).set(raw);
  return data;
}

/** The values of a typed field (float_data, int32_data, ...) converted into the dtype's array. */
function fromFields(t: TensorProto, dtype: DType, count: number, what: string): TypedArray {
  const data = dtype.allocate(count);
  let values: readonly (number | bigint)[];
  if (dtype === float32) values = t.floatData ?? [];
  else if (dtype === float64) values = t.doubleData ?? [];
  else if (dtype === int64) values = (t.int64Data ?? []).map((v) => toBigInt(v as Int64));
  else values = t.int32Data ?? []; // int8/uint8/int16/int32/bool, and float16 as its bit patterns
  if (values.length !== count) {
    throw new OnnxError(
      `${what}: holds ${values.length} values, but its dims [${(t.dims ?? []).join(", ")}] need ${count}`,
    );
  }
  data.set(values as never);
  return data;
}

/** A TensorProto (initializer, Constant value) as a cpu tensor. External data is refused. */
export function tensorFromProto(t: TensorProto, what: string): Tensor {
  const label = `${what} "${t.name ?? ""}"`;
  if (t.dataLocation === 1 || (t.externalData?.length ?? 0) > 0) {
    const location = t.externalData?.find((e) => e.key === "location")?.value ?? "?";
    throw new OnnxError(
      `${label}: its data is stored in an external file ("${location}"); tsnpu imports models with embedded data only (re-save the model with all tensors inside, e.g. onnx.save(model, path, save_as_external_data=False))`,
    );
  }
  if (t.segment) throw new OnnxError(`${label}: segmented tensors are not supported`);
  const shape = (t.dims ?? []).map((d) => toNumber(d as Int64));
  const dtype = dtypeOf(t.dataType ?? 0, label);
  const count = numel(shape);
  const data =
    t.rawData && t.rawData.length > 0
      ? fromRawBytes(t.rawData, dtype, count, label)
      : fromFields(t, dtype, count, label);
  return hostTensor(data, shape, dtype);
}

/** The values of a constant integer tensor as JS numbers (shapes, axes, pads, indices). */
export function hostInts(t: Tensor): number[] {
  return Array.from(t.toTypedArray() as ArrayLike<number | bigint>, Number);
}

/** The values of a constant tensor as JS numbers (float16 decoded). */
export function hostNumbers(t: Tensor): number[] {
  return hostInts(t.dtype === float16 ? t.to(float32) : t);
}
