// exportOnnx: a quantized OnnxModule as a standard QDQ ONNX model, the form onnxruntime's own
// quantizer emits, so other runtimes run the same int8 network. Around every int8 conv:
// QuantizeLinear -> DequantizeLinear on its input (s_x, z_x; one pair per tensor, shared by
// the convs that read it), DequantizeLinear of the int8 weight (per output channel, axis 0,
// zero point 0) and of the int32 bias (scale s_x * s_w[c]). s_x * s_w[c] is the device scale
// the int8 layer multiplies by (its low 13 mantissa bits cleared), so s_w[c] = that / s_x.
// Everything else is the original float graph, plus a Div after each float16 conv whose output
// channels quantize() divided (equalize.ts: the int8 reader's weights carry the factor). Written
// with onnx-proto (the loader's library).

import { OnnxModule } from "@tsnpu/onnx";
import { ArgumentError, decodeQuantScales, describe } from "@tsnpu/tensor";
import onnxProto from "onnx-proto";
import type { QuantizedConv2d } from "./layer.js";
import { onnxDivisors, onnxLayers } from "./onnx-model.js";
import { hostFloats } from "./site.js";

const { onnx } = onnxProto;
type NodeProto = onnxProto.onnx.INodeProto;
type TensorProto = onnxProto.onnx.ITensorProto;

/** Per-channel DequantizeLinear (its `axis`) is opset 13. */
const QDQ_OPSET = 13;
/** Ops whose inputs or attributes changed at opset 13: a model using them is not raised to 13. */
const CHANGED_AT_13 = new Set(["Split", "Squeeze", "Unsqueeze", "ReduceSum"]);

const D = onnx.TensorProto.DataType;

function initializer(name: string, dataType: number, dims: number[], data: number[]): TensorProto {
  const t: TensorProto = { name, dataType, dims };
  if (dataType === D.FLOAT) t.floatData = data;
  else t.int32Data = data; // int8 and int32 are both stored in int32_data
  return t;
}

const node = (opType: string, input: string[], output: string[], axis?: number): NodeProto => ({
  opType,
  name: output[0],
  input,
  output,
  attribute:
    axis === undefined
      ? []
      : [{ name: "axis", type: onnx.AttributeProto.AttributeType.INT, i: axis }],
});

/** The int8 layer's tensors in QDQ form: weight and bias integers and their per-channel scales. */
function qdqTensors(layer: QuantizedConv2d) {
  const sx = hostFloats(layer.inputScale.data)[0]!;
  const zx = Number(layer.inputZeroPoint.data.toTypedArray()[0]);
  const weight = Array.from(layer.weight.data.toTypedArray() as Int8Array);
  const [cout] = layer.weight.shape as [number];
  const perChannel = weight.length / cout;
  const deviceScale = decodeQuantScales(layer.scale.data.toTypedArray() as BigInt64Array);
  const bias = Array.from(layer.bias!.data.toTypedArray() as Int32Array, (b, c) => {
    // tsnpu's bias holds -z_x sum(W_q[c]) (the zero point folded in); QDQ's dequantizes it.
    let sum = 0;
    for (let k = c * perChannel; k < (c + 1) * perChannel; k++) sum += weight[k]!;
    return Math.max(-(2 ** 31), Math.min(2 ** 31 - 1, b + zx * sum));
  });
  return {
    sx,
    zx,
    weight,
    weightShape: [...layer.weight.shape],
    weightScale: Array.from(deviceScale, (s) => Math.fround(s / sx)),
    bias,
    biasScale: Array.from(deviceScale),
  };
}

/**
 * `model` (an OnnxModule returned by quantize() or loadQuantized()) as the bytes of a QDQ ONNX
 * model: the original float graph with QuantizeLinear/DequantizeLinear around every int8 conv.
 * A model below opset 13 is raised to 13 (per-channel DequantizeLinear), unless it uses an op
 * whose form changed there.
 */
export function exportOnnx(model: OnnxModule): Uint8Array {
  const layers = model instanceof OnnxModule ? onnxLayers.get(model) : undefined;
  if (!layers)
    throw new ArgumentError(
      "exportOnnx",
      "model",
      "an OnnxModule returned by quantize() or loadQuantized()",
      model instanceof OnnxModule ? "an OnnxModule that was not quantized" : describe(model),
    );
  const source = model.graph.source.model;
  const out = onnx.ModelProto.decode(onnx.ModelProto.encode(source).finish());
  const graph = out.graph!;
  const opset = out.opsetImport.find((o) => !o.domain || o.domain === "ai.onnx")!;
  if (Number(opset.version) < QDQ_OPSET) {
    const changed = (graph.node ?? []).find((n) => CHANGED_AT_13.has(n.opType ?? ""));
    if (changed)
      throw new ArgumentError(
        "exportOnnx",
        "model",
        `opset >= ${QDQ_OPSET} or no op that changed at opset 13`,
        `opset ${opset.version} with ${changed.opType}`,
      );
    opset.version = QDQ_OPSET;
  }
  // Each int8 layer by the value its QuantConv2d step writes: the Conv's output, or the output
  // of the BatchNormalization the loader folded into it (that node is dropped: its affine is
  // in the layer's weight and bias).
  const layerByOutput = new Map<string, QuantizedConv2d>();
  for (const step of model.graph.steps) {
    const layer = step.node.opType === "QuantConv2d" ? layers.get(step.node.label) : undefined;
    if (layer) layerByOutput.set(step.outputs[0]!, layer);
  }
  const folded = new Set<NodeProto>();
  const int8Conv = (n: NodeProto): QuantizedConv2d | undefined => {
    if (n.opType !== "Conv") return undefined;
    const out = n.output![0]!;
    const direct = layerByOutput.get(out);
    if (direct) return direct;
    const bn = (graph.node ?? []).find(
      (m) => m.opType === "BatchNormalization" && m.input?.[0] === out,
    );
    const layer = bn && layerByOutput.get(bn.output![0]!);
    if (!layer) return undefined;
    folded.add(bn);
    n.output = [bn.output![0]!];
    return layer;
  };
  const initializers = graph.initializer as TensorProto[];
  const dequantized = new Map<string, string>(); // float input -> its QDQ output
  const nodes: NodeProto[] = [];
  for (const n of graph.node ?? []) {
    const layer = int8Conv(n);
    if (!layer) {
      nodes.push(n);
      continue;
    }
    const t = qdqTensors(layer);
    const x = n.input![0]!; // a conv without bias gets one: the int8 layer's (z_x folded in)
    let xdq = dequantized.get(x);
    if (!xdq) {
      xdq = `${x}_DequantizeLinear_Output`;
      dequantized.set(x, xdq);
      initializers.push(
        initializer(`${x}_scale`, D.FLOAT, [], [t.sx]),
        initializer(`${x}_zero_point`, D.INT8, [], [t.zx]),
      );
      const q = [`${x}_scale`, `${x}_zero_point`];
      nodes.push(
        node("QuantizeLinear", [x, ...q], [`${x}_QuantizeLinear_Output`]),
        node("DequantizeLinear", [`${x}_QuantizeLinear_Output`, ...q], [xdq]),
      );
    }
    const name = n.name || n.output![0]!;
    const cout = t.weightShape[0]!;
    const zeros = new Array<number>(cout).fill(0);
    initializers.push(
      initializer(`${name}_weight_quantized`, D.INT8, t.weightShape, t.weight),
      initializer(`${name}_weight_scale`, D.FLOAT, [cout], t.weightScale),
      initializer(`${name}_weight_zero_point`, D.INT8, [cout], zeros),
      initializer(`${name}_bias_quantized`, D.INT32, [cout], t.bias),
      initializer(`${name}_bias_scale`, D.FLOAT, [cout], t.biasScale),
      initializer(`${name}_bias_zero_point`, D.INT32, [cout], zeros),
    );
    const dq = (what: string) =>
      node(
        "DequantizeLinear",
        [`${name}_${what}_quantized`, `${name}_${what}_scale`, `${name}_${what}_zero_point`],
        [`${name}_${what}_DequantizeLinear_Output`],
        0,
      );
    nodes.push(dq("weight"), dq("bias"), {
      ...n,
      input: [
        xdq,
        `${name}_weight_DequantizeLinear_Output`,
        `${name}_bias_DequantizeLinear_Output`,
      ],
    });
  }
  graph.node = withDivisions(
    nodes.filter((n) => !folded.has(n)),
    dividedOutputs(model),
    initializers,
  );
  // The float weights and biases no node reads any more.
  const read = new Set(graph.node.flatMap((n) => n.input ?? []));
  const dropped = new Set(initializers.filter((i) => !read.has(i.name ?? "")).map((i) => i.name));
  graph.initializer = initializers.filter((i) => !dropped.has(i.name));
  graph.input = (graph.input ?? []).filter((i) => !dropped.has(i.name)); // old models list weights as inputs
  return onnx.ModelProto.encode(out).finish();
}

/** The value each equalized float16 conv writes (after a folded BatchNormalization), with its divisors. */
function dividedOutputs(model: OnnxModule): Map<string, ArrayLike<number>> {
  const divisors = onnxDivisors.get(model) ?? new Map<string, ArrayLike<number>>();
  const out = new Map<string, ArrayLike<number>>();
  for (const step of model.graph.steps) {
    const d = step.node.opType === "Conv" ? divisors.get(step.node.label) : undefined;
    if (d) out.set(step.outputs[0]!, d);
  }
  return out;
}

/** `nodes` with `value / d` (per channel, axis 1) written to `value` right after its producer. */
function withDivisions(
  nodes: NodeProto[],
  divided: ReadonlyMap<string, ArrayLike<number>>,
  initializers: TensorProto[],
): NodeProto[] {
  return nodes.flatMap((n) => {
    const value = n.output?.find((o) => divided.has(o));
    if (!value) return [n];
    const d = Array.from(divided.get(value)!);
    initializers.push(initializer(`${value}_divisor`, D.FLOAT, [d.length, 1, 1], d));
    const undivided = `${value}_undivided`;
    return [
      { ...n, output: n.output!.map((o) => (o === value ? undivided : o)) },
      node("Div", [undivided, `${value}_divisor`], [value]),
    ];
  });
}
