// OnnxModules: the loader already folded BatchNormalization into the convs. Each Conv step is
// traced once to read the conv2d it lowers to; the quantized model is the graph lowered again
// in float16 with those steps replaced by a shared quantize step and a QuantConv2d step.

import {
  OnnxModule,
  OnnxNode,
  lowerGraph,
  type LoweredGraph,
  type Step,
  type StepInput,
} from "@tsnpu/onnx";
import {
  ArgumentError,
  Device,
  Tensor,
  Trace,
  constantPadNdOp,
  conv2dOp,
  describe,
  float16,
  isNodeOf,
  tensor,
  withTrace,
  type GraphNode,
} from "@tsnpu/tensor";
import { Parameter } from "@tsnpu/nn";
import { ineligibility, type FloatConv, type PrePad, type QuantizedConv2d } from "./layer.js";
import { channelStreams } from "./streams.js";
import { checkBatchInput, hostFloats, type ConvSite, type FloatModel } from "./site.js";

const constantOf = (s: StepInput): Tensor | null =>
  s && !("value" in s) ? ("parameter" in s ? s.parameter.data : s.constant) : null;

/**
 * The pre-padding of a Conv step that lowers to constant_pad_nd (zeros, rows and columns only) +
 * conv2d, the form of ONNX's asymmetric pads; null for any other pad.
 */
function prePadOf(pad: GraphNode | undefined, x: Tensor): PrePad | null {
  if (!pad || !isNodeOf(constantPadNdOp, pad) || pad.inputs.self !== x || pad.attrs.value !== 0)
    return null;
  if (pad.derived.length !== 4) return null;
  const [n, c, h, w] = pad.derived;
  const planeOnly = [n, c].every((p) => p![0] === 0 && p![1] === 0);
  if (!planeOnly || ![h, w].every((p) => p![0] >= 0 && p![1] >= 0)) return null;
  return [h![0], h![1], w![0], w![1]];
}

/** The conv2d a Conv step runs, when it is one conv2d on the step's input (padded first or not). */
function convOfStep(step: Step): { conv: FloatConv | null; reason: string | null } {
  const weight = constantOf(step.inputs[1] ?? null);
  const bias = constantOf(step.inputs[2] ?? null);
  if (!step.inputs[0] || !("value" in step.inputs[0]) || !weight || (step.inputs[2] && !bias))
    return { conv: null, reason: "its weight or bias is computed at run time" };
  const x = Tensor.symbolic(step.inputShapes[0]!, weight.dtype, Device.of("cpu"));
  const trace = new Trace();
  withTrace(trace, () => step.run([x, weight, bias]));
  const node = trace.nodes.at(-1);
  const prePad = trace.nodes.length === 2 ? prePadOf(trace.nodes[0], x) : null;
  const convInput = prePad ? trace.nodes[0]!.outputs[0] : x;
  if (
    trace.nodes.length !== (prePad ? 2 : 1) ||
    !node ||
    !isNodeOf(conv2dOp, node) ||
    node.inputs.input !== convInput
  )
    return {
      conv: null,
      reason: `it lowers to ${trace.nodes.map((n) => n.op.name).join(" + ")}, not one conv2d (a 1-D conv, or a pad that is not zeros around the plane)`,
    };
  const g = node.derived;
  const conv: FloatConv = {
    weight: hostFloats(weight),
    weightShape: weight.shape as [number, number, number, number],
    bias: bias ? hostFloats(bias) : new Float32Array(weight.shape[0]!),
    stride: [g.strideH, g.strideW],
    padding: [g.padTop, g.padLeft],
    dilation: [g.dilationH, g.dilationW],
    groups: g.groups,
    ...(prePad ? { prePad } : {}),
  };
  return { conv, reason: ineligibility(conv) };
}

/** Steps with `f` wrapped around the run of the Conv steps in `sites`. */
function observingGraph(
  graph: LoweredGraph,
  sites: ReadonlyMap<Step, ConvSite>,
  see: (site: ConvSite, x: Tensor) => void,
): LoweredGraph {
  const steps = graph.steps.map((step): Step => {
    const site = sites.get(step);
    if (!site) return step;
    return {
      ...step,
      run: (inputs) => {
        see(site, inputs[0]!);
        return step.run(inputs);
      },
    };
  });
  return { ...graph, steps };
}

/** The float16 graph with the convs in `layers` as int8 layers (convs reading one tensor share its quantize step). */
export function quantizedGraph(
  source: LoweredGraph["source"],
  layers: ReadonlyMap<string, QuantizedConv2d>,
  divisors: ReadonlyMap<string, ArrayLike<number>> = new Map(),
): LoweredGraph {
  const g16 = lowerGraph(source.model, { ...source.options, floatDType: float16 });
  const parameters = new Map(g16.parameters);
  const quantizedValue = new Map<string, string>();
  const steps: Step[] = [];
  const replaced = new Set<Step>();
  for (const lowered of g16.steps) {
    const d = lowered.node.opType === "Conv" ? divisors.get(lowered.node.label) : undefined;
    const step = d ? dividedConvStep(lowered, d, parameters) : lowered;
    const layer = step.node.opType === "Conv" ? layers.get(step.node.label) : undefined;
    const input = step.inputs[0];
    if (!layer || !input || !("value" in input)) {
      steps.push(step);
      continue;
    }
    replaced.add(step);
    const opset = step.node.opset;
    let int8Value = quantizedValue.get(input.value);
    if (!int8Value) {
      int8Value = `${input.value}::int8`;
      quantizedValue.set(input.value, int8Value);
      const s = hostFloats(layer.inputScale.data)[0];
      const z = Number(layer.inputZeroPoint.data.toTypedArray()[0]);
      steps.push({
        node: new OnnxNode(
          {
            name: `${input.value}::quantize`,
            opType: "NpuQuantize",
            input: [input.value],
            output: [int8Value],
          },
          opset,
        ),
        attributes: `scale=${s}, zero_point=${z}`,
        inputs: [input],
        outputs: [int8Value],
        run: ([x]) => [layer.quantizeInput(x!)],
        inputShapes: [step.inputShapes[0]!],
        outputShapes: [step.inputShapes[0]!],
      });
    }
    const label = step.node.label;
    steps.push({
      node: new OnnxNode(
        { name: label, opType: "QuantConv2d", input: [int8Value], output: [...step.outputs] },
        opset,
      ),
      attributes: layer.toString().replace(/^QuantizedConv2d\(|\)$/g, ""),
      inputs: [{ value: int8Value }],
      outputs: step.outputs,
      run: ([x]) => [layer.forwardInt8(x!)],
      inputShapes: [step.inputShapes[0]!],
      outputShapes: step.outputShapes,
    });
    for (const [name, p] of layer.namedParameters()) {
      const key = `${label}.${name}`;
      if (parameters.has(key))
        throw new ArgumentError(
          "quantize",
          "model",
          `no parameter named "${key}" (the int8 layer's)`,
          "one",
        );
      parameters.set(key, p);
    }
  }
  // The replaced convs' float weights, unless a kept step still reads them.
  const stillRead = new Set(
    steps.flatMap((s) => s.inputs.flatMap((i) => (i && "parameter" in i ? [i.parameter] : []))),
  );
  for (const step of replaced)
    for (const i of step.inputs)
      if (i && "parameter" in i && !stillRead.has(i.parameter))
        for (const [k, p] of parameters) if (p === i.parameter) parameters.delete(k);
  return { ...g16, steps, parameters };
}

/** A Conv step whose output channel c is divided by d[c]: new W[c] / d[c] and b[c] / d[c] parameters. */
function dividedConvStep(
  step: Step,
  d: ArrayLike<number>,
  parameters: Map<string, Parameter>,
): Step {
  const divided = (i: number): StepInput => {
    const input = step.inputs[i] ?? null;
    if (!input || !("parameter" in input)) return input;
    const old = input.parameter.data;
    const per = old.numel() / old.shape[0]!;
    const values = hostFloats(old).map((v, k) => v / d[Math.floor(k / per)]!);
    const p = new Parameter(
      tensor(values)
        .reshape([...old.shape])
        .to(old.dtype),
    );
    for (const [key, q] of parameters) if (q === input.parameter) parameters.set(key, p);
    return { parameter: p };
  };
  return {
    ...step,
    inputs: step.inputs.map((input, i) => (i === 1 || i === 2 ? divided(i) : input)),
  };
}

/** For each conv reading the output of a float16 conv that nothing else reads: that conv's name. */
function producersOf(graph: LoweredGraph, float16: ReadonlySet<string>): Map<Step, string> {
  const readers = new Map<string, Step[]>();
  for (const step of graph.steps)
    for (const input of step.inputs)
      if (input && "value" in input)
        readers.set(input.value, [...(readers.get(input.value) ?? []), step]);
  const out = new Map<Step, string>();
  for (const step of graph.steps) {
    const [w, b] = [step.inputs[1], step.inputs[2]];
    const ownParameters =
      !!w && "parameter" in w && (!b || "parameter" in b) && step.outputs.length === 1;
    const reader = readers.get(step.outputs[0]!);
    if (
      step.node.opType !== "Conv" ||
      !float16.has(step.node.label) ||
      !ownParameters ||
      graph.outputs.includes(step.outputs[0]!) ||
      reader?.length !== 1 ||
      reader[0]!.node.opType !== "Conv"
    )
      continue;
    out.set(reader[0]!, step.node.label);
  }
  return out;
}

/** The int8 layers of each quantized OnnxModule, by node name (saveQuantized reads them). */
export const onnxLayers = new WeakMap<OnnxModule, ReadonlyMap<string, QuantizedConv2d>>();

/** The producer convs of each quantized OnnxModule whose output channels were divided (equalize.ts). */
export const onnxDivisors = new WeakMap<OnnxModule, ReadonlyMap<string, ArrayLike<number>>>();

export function quantizedOnnxModule(
  source: LoweredGraph["source"],
  layers: ReadonlyMap<string, QuantizedConv2d>,
  divisors: ReadonlyMap<string, ArrayLike<number>> = new Map(),
): OnnxModule {
  const m = new OnnxModule(quantizedGraph(source, layers, divisors));
  onnxLayers.set(m, layers);
  onnxDivisors.set(m, divisors);
  return m;
}

export function onnxModel(model: OnnxModule): FloatModel {
  const graph = model.graph;
  const convs = new Map<Step, ReturnType<typeof convOfStep>>();
  for (const step of graph.steps)
    if (step.node.opType === "Conv") convs.set(step, convOfStep(step));
  const float16 = new Set(
    [...convs].filter(([, c]) => c.reason !== null).map(([step]) => step.node.label),
  );
  const producers = producersOf(graph, float16);
  const byStep = new Map<Step, ConvSite>();
  for (const [step, { conv, reason }] of convs) {
    const input = step.inputs[0];
    byStep.set(step, {
      name: step.node.label,
      input: input && "value" in input ? input.value : step.node.label,
      conv,
      reason,
      producer: producers.get(step) ?? null,
    });
  }
  let seeing: (site: ConvSite, x: Tensor) => void = () => {};
  const observing = new OnnxModule(observingGraph(graph, byStep, (site, x) => seeing(site, x)));
  return {
    sites: [...byStep.values()],
    streams: channelStreams(graph),
    inputsOf(batch, what) {
      const list = batch instanceof Tensor ? [batch] : batch;
      if (!Array.isArray(list) || list.length !== graph.inputs.length)
        throw new ArgumentError(
          "quantize",
          what,
          graph.inputs.length === 1
            ? "a tensor"
            : `an array of ${graph.inputs.length} tensors (${model.inputNames.join(", ")})`,
          describe(batch),
        );
      return graph.inputs.map((spec, i) => {
        const name = graph.inputs.length === 1 ? what : `${what}[${i}]`;
        const t = checkBatchInput(list[i], name, spec.shape);
        return t.dtype === spec.dtype ? t : t.to(spec.dtype);
      });
    },
    observe(inputs, see) {
      seeing = see;
      observing.run(...inputs);
    },
    build: (layers, divisors) => quantizedOnnxModule(graph.source, layers, divisors),
  };
}
