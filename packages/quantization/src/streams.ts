// Channel streams of an ONNX graph: sets of tensors whose channel c stays channel c through
// ReLU, a residual Add of two tensors, MaxPool and channel padding with zeros (a Concat on axis 1
// of one tensor and zero constants). Dividing channel c of every tensor of a stream by f[c] > 0
// is an exact float rewrite [assume: our choice, like BatchNorm folding]: ReLU and MaxPool are
// positively homogeneous, both addends of each Add are divided alike, zero stays zero. It only
// asks the convs writing into the stream to divide their output channel c (W[c], b[c]) by f[c]
// and the convs reading it to multiply their input channel c by f[c] (equalize.ts).

import type { LoweredGraph, Step, StepInput } from "@tsnpu/onnx";
import { hostFloats } from "./site.js";

/** A conv by node name, with the channel count of the stream tensor it writes or reads. */
export interface StreamConv {
  readonly name: string;
  readonly channels: number;
  /** One filter per channel (groups == channels == output channels): its weight row c reads channel c. */
  readonly depthwise: boolean;
}

function isDepthwise(step: Step): boolean {
  const w = step.inputs[1];
  const shape = w && "parameter" in w ? w.parameter.data.shape : [];
  const channels = step.inputShapes[0]?.[1];
  return shape[1] === 1 && shape[0] === channels && step.node.int("group", 1) === channels;
}

export interface ChannelStream {
  /** Convs whose output is in the stream. */
  readonly producers: readonly StreamConv[];
  /** Convs reading a tensor of the stream as their input. */
  readonly consumers: readonly StreamConv[];
  /** The widest tensor's channel count (f has this length; narrower tensors use its first channels). */
  readonly channels: number;
}

const isValue = (i: StepInput): i is { value: string } => !!i && "value" in i;

/** A zero constant (or parameter) input. */
function isZeroConstant(i: StepInput): boolean {
  if (!i || "value" in i) return false;
  const t = "parameter" in i ? i.parameter.data : i.constant;
  return hostFloats(t).every((v) => v === 0);
}

/** Whether `step` keeps channel c as channel c (and needs nothing else scaled). */
function linksChannels(step: Step): boolean {
  const [a, b] = step.inputs;
  switch (step.node.opType) {
    case "Relu":
    case "MaxPool":
      return step.inputs.length === 1 && isValue(a ?? null) && step.outputs.length === 1;
    case "Add":
      return (
        step.inputs.length === 2 &&
        isValue(a ?? null) &&
        isValue(b ?? null) &&
        String(step.inputShapes[0]) === String(step.inputShapes[1])
      );
    case "Concat":
      return (
        step.node.int("axis", 0) === 1 &&
        isValue(a ?? null) &&
        step.inputs.slice(1).every((i) => isZeroConstant(i))
      );
    default:
      return false;
  }
}

/** A conv with its own weight (and bias) parameters, reading a value as input 0. */
function isOwnConv(step: Step): boolean {
  const [x, w, b] = step.inputs;
  return (
    step.node.opType === "Conv" &&
    isValue(x ?? null) &&
    !!w &&
    "parameter" in w &&
    (!b || "parameter" in b) &&
    step.outputs.length === 1
  );
}

/** Every stream of the graph that only convs write and read (and no graph output is part of). */
export function channelStreams(graph: LoweredGraph): ChannelStream[] {
  const parent = new Map<string, string>();
  const find = (v: string): string => {
    const p = parent.get(v) ?? v;
    if (p === v) return v;
    const root = find(p);
    parent.set(v, root);
    return root;
  };
  const links = graph.steps.filter(linksChannels);
  for (const step of links)
    for (const i of [...step.inputs.filter(isValue).map((i) => i.value), ...step.outputs])
      parent.set(find(i), find(step.outputs[0]!));
  const members = new Set(
    links.flatMap((s) => [...s.inputs.filter(isValue).map((i) => i.value), ...s.outputs]),
  );
  const streams = new Map<
    string,
    { producers: StreamConv[]; consumers: StreamConv[]; channels: number; ok: boolean }
  >();
  const streamOf = (v: string) => {
    const root = find(v);
    const s = streams.get(root) ?? { producers: [], consumers: [], channels: 0, ok: true };
    streams.set(root, s);
    return s;
  };
  const linkSet = new Set(links);
  for (const step of graph.steps) {
    step.outputs.forEach((v, k) => {
      if (!members.has(v)) return;
      const s = streamOf(v);
      s.channels = Math.max(s.channels, step.outputShapes[k]?.[1] ?? 0);
      if (linkSet.has(step)) return;
      if (isOwnConv(step))
        s.producers.push({
          name: step.node.label,
          channels: step.outputShapes[k]?.[1] ?? 0,
          depthwise: isDepthwise(step),
        });
      else s.ok = false;
    });
    if (linkSet.has(step)) continue;
    step.inputs.forEach((i, k) => {
      if (!isValue(i) || !members.has(i.value)) return;
      const s = streamOf(i.value);
      if (k === 0 && isOwnConv(step))
        s.consumers.push({
          name: step.node.label,
          channels: step.inputShapes[0]?.[1] ?? 0,
          depthwise: isDepthwise(step),
        });
      else s.ok = false;
    });
  }
  for (const v of [...graph.outputs, ...graph.inputs.map((i) => i.name)])
    if (members.has(v)) streamOf(v).ok = false;
  return [...streams.values()]
    .filter((s) => s.ok && s.producers.length > 0)
    .map(({ producers, consumers, channels }) => ({ producers, consumers, channels }));
}
