// saveQuantized / loadQuantized: a quantized model as one safetensors file. Each int8 layer's
// tensors use torch_npu QuantConv2d's keys (`<layer>.weight` int8, `<layer>.scale` int64,
// `<layer>.bias` int32) plus its quantize step's (`<layer>.input_scale` float32,
// `<layer>.input_zero_point` int8); `__metadata__["tsnpu.quantized"]` is JSON describing the graph.
// nn models store their float16 layers' tensors by module path; OnnxModules store the float ONNX
// model (graph and float weights) as the uint8 tensor `onnx.model`, lowered again on load.

import {
  BatchNorm2d,
  Conv2d,
  Flatten,
  Linear,
  MaxPool2d,
  ReLU,
  Sequential,
  type Module,
} from "@tsnpu/nn";
import { OnnxModule } from "@tsnpu/onnx";
import { ArgumentError, describe, tensor, uint8, type Tensor } from "@tsnpu/tensor";
import onnxProto from "onnx-proto";
import { QuantizedConv2d, type ConvGeometry, type PrePad } from "./layer.js";
import { FoldedBatchNorm2d } from "./nn-model.js";
import { onnxDivisors, onnxLayers, quantizedOnnxModule } from "./onnx-model.js";
import { readSafetensors, writeSafetensors } from "./safetensors.js";

const METADATA_KEY = "tsnpu.quantized";
const ONNX_MODEL_KEY = "onnx.model";
const FORMAT = 1;
const DIVISOR_KEY = "output_divisor";

type Pair = [number, number];

/** An int8 layer: its name (the key prefix of its tensors) and geometry. */
interface QuantLayerDesc {
  readonly name: string;
  readonly stride: Pair;
  readonly padding: Pair;
  readonly dilation: Pair;
  /** ConvGeometry.prePad (top, bottom, left, right); absent when there is none. */
  readonly prePad?: PrePad;
}

type LayerDesc =
  | { readonly type: "Sequential"; readonly layers: LayerDesc[] }
  | ({ readonly type: "QuantizedConv2d" } & QuantLayerDesc)
  | {
      readonly type: "Conv2d";
      readonly name: string;
      readonly inChannels: number;
      readonly outChannels: number;
      readonly kernelSize: Pair;
      readonly stride: Pair;
      readonly padding: Pair;
      readonly dilation: Pair;
      readonly groups: number;
      readonly bias: boolean;
    }
  | {
      readonly type: "Linear";
      readonly name: string;
      readonly inFeatures: number;
      readonly outFeatures: number;
      readonly bias: boolean;
    }
  | {
      readonly type: "BatchNorm2d";
      readonly name: string;
      readonly numFeatures: number;
      readonly eps: number;
    }
  | { readonly type: "ReLU" }
  | { readonly type: "FoldedBatchNorm2d" }
  | { readonly type: "Flatten"; readonly startDim: number; readonly endDim: number }
  | { readonly type: "MaxPool2d"; readonly kernelSize: unknown; readonly options: unknown };

type Description =
  | { readonly format: number; readonly kind: "nn"; readonly model: LayerDesc }
  | {
      readonly format: number;
      readonly kind: "onnx";
      readonly inputShapes?: Record<string, readonly number[]>;
      readonly layers: QuantLayerDesc[];
      /** float16 convs whose output channels are divided by `<name>.output_divisor` (equalize.ts). */
      readonly divided?: string[];
      /** For readers: the graph's steps as `op name: inputs -> outputs`. */
      readonly steps: string[];
    };

const geometryOf = (m: QuantizedConv2d): ConvGeometry & QuantLayerDesc => ({
  name: "",
  stride: m.stride,
  padding: m.padding,
  dilation: m.dilation,
  groups: 1,
  ...(m.prePad ? { prePad: m.prePad } : {}),
});

function describeLayer(m: Module, name: string, tensors: Map<string, Tensor>): LayerDesc {
  const put = (key: string, t: Tensor | undefined | null) =>
    t && tensors.set(name ? `${name}.${key}` : key, t);
  if (m instanceof Sequential)
    return {
      type: "Sequential",
      layers: m.layers.map((l, i) => describeLayer(l, name ? `${name}.${i}` : String(i), tensors)),
    };
  if (m instanceof QuantizedConv2d) {
    for (const [k, p] of m.namedParameters()) put(k, p.data);
    return { type: "QuantizedConv2d", ...geometryOf(m), name };
  }
  if (m instanceof Conv2d) {
    put("weight", m.weight.data);
    put("bias", m.bias?.data);
    const { inChannels, outChannels, kernelSize, stride, padding, dilation, groups } = m;
    return {
      type: "Conv2d",
      name,
      inChannels,
      outChannels,
      kernelSize,
      stride,
      padding,
      dilation,
      groups,
      bias: m.bias !== null,
    };
  }
  if (m instanceof Linear) {
    put("weight", m.weight.data);
    put("bias", m.bias?.data);
    return {
      type: "Linear",
      name,
      inFeatures: m.inFeatures,
      outFeatures: m.outFeatures,
      bias: m.bias !== null,
    };
  }
  if (m instanceof BatchNorm2d) {
    for (const [k, t] of Object.entries(m.stateDict())) put(k, t);
    return { type: "BatchNorm2d", name, numFeatures: m.numFeatures, eps: m.eps };
  }
  if (m instanceof ReLU) return { type: "ReLU" };
  if (m instanceof FoldedBatchNorm2d) return { type: "FoldedBatchNorm2d" };
  if (m instanceof Flatten) return { type: "Flatten", startDim: m.startDim, endDim: m.endDim };
  if (m instanceof MaxPool2d)
    return { type: "MaxPool2d", kernelSize: m.kernelSize, options: m.options };
  throw new ArgumentError(
    "saveQuantized",
    "model",
    "layers saveQuantized can describe (Sequential, QuantizedConv2d, Conv2d, Linear, BatchNorm2d, ReLU, Flatten, MaxPool2d)",
    `layer "${name}" (${m.constructor.name})`,
  );
}

/** The quantized model (from quantize() or loadQuantized()) as safetensors bytes. */
export function saveQuantized(model: Module): Uint8Array {
  const tensors = new Map<string, Tensor>();
  let description: Description;
  if (model instanceof OnnxModule) {
    const layers = onnxLayers.get(model);
    if (!layers)
      throw new ArgumentError(
        "saveQuantized",
        "model",
        "an OnnxModule returned by quantize() or loadQuantized()",
        "an OnnxModule that was not quantized",
      );
    for (const [name, layer] of layers)
      for (const [k, p] of layer.namedParameters()) tensors.set(`${name}.${k}`, p.data);
    const divisors = onnxDivisors.get(model) ?? new Map<string, ArrayLike<number>>();
    for (const [name, d] of divisors)
      tensors.set(`${name}.${DIVISOR_KEY}`, tensor(Float32Array.from(d)));
    const { model: proto, options } = model.graph.source;
    tensors.set(
      ONNX_MODEL_KEY,
      tensor(onnxProto.onnx.ModelProto.encode(proto).finish().slice(), { dtype: uint8 }),
    );
    description = {
      format: FORMAT,
      kind: "onnx",
      ...(options.inputShapes ? { inputShapes: { ...options.inputShapes } } : {}),
      layers: [...layers].map(([name, layer]) => ({ ...geometryOf(layer), name })),
      ...(divisors.size ? { divided: [...divisors.keys()] } : {}),
      steps: model.graph.steps.map(
        (s) =>
          `${s.node.opType} ${s.node.label}: ${s.inputs
            .map((i) => (i && "value" in i ? i.value : ""))
            .filter(Boolean)
            .join(", ")} -> ${s.outputs.join(", ")}`,
      ),
    };
  } else if (model instanceof Sequential) {
    description = { format: FORMAT, kind: "nn", model: describeLayer(model, "", tensors) };
  } else {
    throw new ArgumentError(
      "saveQuantized",
      "model",
      "a quantized OnnxModule or Sequential",
      describe(model),
    );
  }
  return writeSafetensors(tensors, { [METADATA_KEY]: JSON.stringify(description) });
}

function tensorNamed(tensors: ReadonlyMap<string, Tensor>, key: string): Tensor {
  const t = tensors.get(key);
  if (!t) throw new ArgumentError("loadQuantized", "bytes", `a tensor "${key}"`, "none");
  return t;
}

function quantLayerOf(d: QuantLayerDesc, tensors: ReadonlyMap<string, Tensor>): QuantizedConv2d {
  const at = (k: string) => tensorNamed(tensors, d.name ? `${d.name}.${k}` : k);
  return new QuantizedConv2d(
    { ...d, groups: 1 }, // the geometry (and prePad, when saved) as written
    {
      weight: at("weight"),
      scale: at("scale"),
      bias: at("bias"),
      inputScale: at("input_scale"),
      inputZeroPoint: at("input_zero_point"),
    },
  );
}

function buildLayer(d: LayerDesc, tensors: ReadonlyMap<string, Tensor>): Module {
  const at = (name: string, k: string) => tensorNamed(tensors, name ? `${name}.${k}` : k);
  switch (d.type) {
    case "Sequential":
      return new Sequential(...d.layers.map((l) => buildLayer(l, tensors)));
    case "QuantizedConv2d":
      return quantLayerOf(d, tensors);
    case "Conv2d": {
      const m = new Conv2d(d.inChannels, d.outChannels, d.kernelSize, d);
      m.weight.data = at(d.name, "weight");
      if (m.bias) m.bias.data = at(d.name, "bias");
      return m;
    }
    case "Linear": {
      const m = new Linear(d.inFeatures, d.outFeatures, { bias: d.bias });
      m.weight.data = at(d.name, "weight");
      if (m.bias) m.bias.data = at(d.name, "bias");
      return m;
    }
    case "BatchNorm2d": {
      const bn = new BatchNorm2d(d.numFeatures, d.eps);
      bn.loadStateDict(
        Object.fromEntries(Object.keys(bn.stateDict()).map((k) => [k, at(d.name, k)])),
      );
      return bn;
    }
    case "ReLU":
      return new ReLU();
    case "FoldedBatchNorm2d":
      return new FoldedBatchNorm2d();
    case "Flatten":
      return new Flatten(d.startDim, d.endDim);
    case "MaxPool2d":
      return new MaxPool2d(d.kernelSize as number, d.options as object);
  }
}

/** Reads a file written by saveQuantized back into the same model, bit for bit. */
export function loadQuantized(bytes: Uint8Array): OnnxModule | Sequential {
  const { tensors, metadata } = readSafetensors(bytes);
  let d: Description;
  try {
    d = JSON.parse(metadata[METADATA_KEY] ?? "null");
  } catch {
    throw new ArgumentError(
      "loadQuantized",
      "bytes",
      `JSON in __metadata__["${METADATA_KEY}"]`,
      "something else",
    );
  }
  if (!d || d.format !== FORMAT)
    throw new ArgumentError(
      "loadQuantized",
      "bytes",
      `a file written by saveQuantized (format ${FORMAT})`,
      `metadata ${describe(d)}`,
    );
  if (d.kind === "nn") return buildLayer(d.model, tensors) as Sequential;
  const bytesOfModel = tensorNamed(tensors, ONNX_MODEL_KEY).toTypedArray() as Uint8Array;
  const model = onnxProto.onnx.ModelProto.decode(bytesOfModel);
  const layers = new Map(d.layers.map((l) => [l.name, quantLayerOf(l, tensors)]));
  const divisors = new Map(
    (d.divided ?? []).map((name) => [
      name,
      tensorNamed(tensors, `${name}.${DIVISOR_KEY}`).toTypedArray() as Float32Array,
    ]),
  );
  return quantizedOnnxModule(
    { model, options: d.inputShapes ? { inputShapes: d.inputShapes } : {} },
    layers,
    divisors,
  );
}
