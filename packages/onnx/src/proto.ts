// onnx-proto's declarations write int64 fields as `number | Long`, the global type of
// @types/long (a dependency of its protobufjs): referenced here so consumers' type checks find
// it even with `types: []`.
/// <reference types="long" preserve="true" />
// Reading ModelProto bytes with onnx-proto: the official onnx.proto compiled to protobufjs
// static code (see the README for why this library). Decode failures become OnnxErrors that
// say what went wrong and at which byte.

import onnxProto from "onnx-proto";
import { OnnxError } from "./errors.js";

export const onnx = onnxProto.onnx;
export type ModelProto = onnxProto.onnx.ModelProto;
export type GraphProto = onnxProto.onnx.IGraphProto;
export type NodeProto = onnxProto.onnx.INodeProto;
export type TensorProto = onnxProto.onnx.ITensorProto;
export type AttributeProto = onnxProto.onnx.IAttributeProto;
export type ValueInfoProto = onnxProto.onnx.IValueInfoProto;

/** protobufjs gives int64 fields as numbers or Long objects. */
export type Int64 = number | { toNumber(): number; toString(): string };

/** An int64 field as a JS number; values beyond 2^53 are refused by the caller's checks. */
export function toNumber(v: Int64 | null | undefined): number {
  if (v === null || v === undefined) return 0;
  return typeof v === "number" ? v : v.toNumber();
}

/** An int64 field exactly, as a bigint. */
export function toBigInt(v: Int64): bigint {
  return BigInt(typeof v === "number" ? v : v.toString());
}

/** Decodes and sanity-checks a ModelProto; `where` names the source in errors (a path, a URL, "buffer"). */
export function decodeModel(bytes: Uint8Array, where: string): ModelProto {
  if (bytes.length === 0) throw new OnnxError(`${where}: not an ONNX model (the file is empty)`);
  let model: ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (e) {
    // protobufjs says e.g. "index out of range: 812 + 10 > 815" or "invalid wire type 7 at offset 3".
    const reason = e instanceof Error ? e.message : String(e);
    throw new OnnxError(
      `${where}: not a valid ONNX ModelProto (${bytes.length} bytes; truncated or not ONNX): ${reason}`,
    );
  }
  // Random bytes sometimes decode as a protobuf message; a real model has these fields.
  if (!model.graph || toNumber(model.irVersion) <= 0) {
    throw new OnnxError(
      `${where}: not an ONNX model: the ModelProto has ${model.graph ? "no ir_version" : "no graph"} (${bytes.length} bytes read)`,
    );
  }
  return model;
}
