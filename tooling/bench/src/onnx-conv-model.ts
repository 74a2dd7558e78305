// onnxruntime-web's peer of one QuantConv2d, as ONNX model bytes: ConvInteger -> Add(bias) ->
// Cast(float32) -> Mul(scale) -> Cast(float16), with the weights, bias and scales baked in.
// Encoded by protobufjs from the subset of onnx.proto (field numbers as in onnx/onnx.proto,
// proto2) that the graph uses.

import protobuf from "protobufjs";
import { outputSize, type ConvShape } from "./shapes.js";

const repeated = (type: string, id: number) => ({ type, id, rule: "repeated" });

const ONNX_PROTO = protobuf.Root.fromJSON({
  nested: {
    onnx: {
      nested: {
        ModelProto: {
          fields: {
            irVersion: { type: "int64", id: 1 },
            producerName: { type: "string", id: 2 },
            graph: { type: "GraphProto", id: 7 },
            opsetImport: repeated("OperatorSetIdProto", 8),
          },
        },
        OperatorSetIdProto: {
          fields: { domain: { type: "string", id: 1 }, version: { type: "int64", id: 2 } },
        },
        GraphProto: {
          fields: {
            node: repeated("NodeProto", 1),
            name: { type: "string", id: 2 },
            initializer: repeated("TensorProto", 5),
            input: repeated("ValueInfoProto", 11),
            output: repeated("ValueInfoProto", 12),
          },
        },
        NodeProto: {
          fields: {
            input: repeated("string", 1),
            output: repeated("string", 2),
            name: { type: "string", id: 3 },
            opType: { type: "string", id: 4 },
            attribute: repeated("AttributeProto", 5),
          },
        },
        AttributeProto: {
          fields: {
            name: { type: "string", id: 1 },
            i: { type: "int64", id: 3 },
            ints: repeated("int64", 8),
            type: { type: "int32", id: 20 },
          },
        },
        TensorProto: {
          fields: {
            dims: repeated("int64", 1),
            dataType: { type: "int32", id: 2 },
            name: { type: "string", id: 8 },
            rawData: { type: "bytes", id: 9 },
          },
        },
        ValueInfoProto: {
          fields: { name: { type: "string", id: 1 }, type: { type: "TypeProto", id: 2 } },
        },
        TypeProto: {
          fields: { tensorType: { type: "Tensor", id: 1 } },
          nested: {
            Tensor: {
              fields: {
                elemType: { type: "int32", id: 1 },
                shape: { type: "TensorShapeProto", id: 2 },
              },
            },
          },
        },
        TensorShapeProto: {
          fields: { dim: repeated("Dimension", 1) },
          nested: { Dimension: { fields: { dimValue: { type: "int64", id: 1 } } } },
        },
      },
    },
  },
});
const ModelProto = ONNX_PROTO.lookupType("onnx.ModelProto");

/** TensorProto.DataType and AttributeProto.AttributeType codes of onnx.proto. */
const DTYPE = { FLOAT: 1, UINT8: 2, INT8: 3, INT32: 6, FLOAT16: 10 } as const;
const ATTR = { INT: 2, INTS: 7 } as const;

const bytesOf = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
const tensor = (name: string, dataType: number, dims: number[], rawData: Uint8Array) => ({
  name,
  dataType,
  dims,
  rawData,
});
const valueInfo = (name: string, elemType: number, dims: number[]) => ({
  name,
  type: { tensorType: { elemType, shape: { dim: dims.map((dimValue) => ({ dimValue })) } } },
});
const ints = (name: string, values: number[]) => ({ name, type: ATTR.INTS, ints: values });
const int = (name: string, i: number) => ({ name, type: ATTR.INT, i });
const node = (opType: string, input: string[], output: string[], attribute: object[] = []) => ({
  opType,
  input,
  output,
  name: `${opType}_${output[0]}`,
  attribute,
});

/**
 * The model of shape `s`. The weight is uint8 (w + 128) with weight zero point 128: ORT's fast
 * path, giving the same int32 sums; `scale19` are the float32 multipliers as the op reads them
 * (bits & 0xFFFFE000). offset_x is 0, because ConvInteger pads with the input zero point.
 */
export function quantConvModel(
  s: ConvShape,
  weightU8: Uint8Array,
  bias: Int32Array,
  scale19: Float32Array,
): Uint8Array {
  const [ho, wo] = outputSize(s);
  const graph = {
    name: "quant_conv2d",
    node: [
      node(
        "ConvInteger",
        ["x", "w", "", "w_zp"],
        ["acc"],
        [
          ints("kernel_shape", [s.k, s.k]),
          ints("strides", [s.stride, s.stride]),
          ints("pads", [s.pad, s.pad, s.pad, s.pad]),
          ints("dilations", [1, 1]),
          int("group", 1),
        ],
      ),
      node("Add", ["acc", "bias"], ["acc_b"]),
      node("Cast", ["acc_b"], ["acc_f"], [int("to", DTYPE.FLOAT)]),
      node("Mul", ["acc_f", "scale"], ["y32"]),
      node("Cast", ["y32"], ["y"], [int("to", DTYPE.FLOAT16)]),
    ],
    initializer: [
      tensor("w", DTYPE.UINT8, [s.cout, s.cin, s.k, s.k], weightU8),
      tensor("w_zp", DTYPE.UINT8, [], Uint8Array.of(128)),
      tensor("bias", DTYPE.INT32, [1, s.cout, 1, 1], bytesOf(bias)),
      tensor("scale", DTYPE.FLOAT, [1, s.cout, 1, 1], bytesOf(scale19)),
    ],
    input: [valueInfo("x", DTYPE.INT8, [s.n, s.cin, s.h, s.w])],
    output: [valueInfo("y", DTYPE.FLOAT16, [s.n, s.cout, ho, wo])],
  };
  const model = {
    irVersion: 8,
    producerName: "tsnpu-bench",
    graph,
    opsetImport: [{ domain: "", version: 13 }],
  };
  return ModelProto.encode(ModelProto.fromObject(model)).finish();
}
