// Small float models for the tests: nn Sequentials with random weights and batch-norm statistics,
// and ONNX graphs built with onnx-proto (the library the loader reads them with).

import { BatchNorm2d, Conv2d, Flatten, Linear, ReLU, Sequential } from "@tsnpu/nn";
import { loadOnnx, type OnnxModule } from "@tsnpu/onnx";
import { rand, randn, type Tensor } from "@tsnpu/tensor";
import onnxProto from "onnx-proto";

const { onnx } = onnxProto;

/** A BatchNorm2d with non-trivial statistics, so folding it matters. */
export function randomBatchNorm(c: number): BatchNorm2d {
  const bn = new BatchNorm2d(c);
  bn.loadStateDict({
    weight: rand([c]).add(0.5),
    bias: randn([c]).mul(0.1),
    running_mean: randn([c]).mul(0.1),
    running_var: rand([c]).add(0.5),
  });
  return bn;
}

/** Conv+BN+ReLU, a strided conv, a depthwise conv (stays float16), a Linear head. */
export function smallCnn(): Sequential {
  return new Sequential(
    new Conv2d(3, 8, 3, { padding: 1 }),
    randomBatchNorm(8),
    new ReLU(),
    new Sequential(new Conv2d(8, 8, 3, { stride: 2, padding: 1 }), new ReLU()),
    new Conv2d(8, 8, 3, { groups: 8, padding: 1 }),
    new ReLU(),
    new Flatten(),
    new Linear(8 * 4 * 4, 10),
  );
}

export const batches = (n: number, shape: readonly number[]): Tensor[] =>
  Array.from({ length: n }, () => randn([...shape]));

/** Weights with input/output channel 0 scaled by `gain` (`channelOf` maps a flat index to its channel). */
function scaledChannel0(
  dims: number[],
  gain: number,
  channelOf: (i: number) => number,
): { floatData: number[] } {
  const w = [...(randn(dims).mul(0.3).toTypedArray() as Float32Array)];
  return { floatData: w.map((v, i) => (channelOf(i) === 0 ? v * gain : v)) };
}

/** A float initializer of random normal values times `scale`. */
const init = (name: string, dims: number[], scale = 0.3): onnxProto.onnx.ITensorProto => ({
  name,
  dims,
  dataType: 1,
  floatData: [...(randn(dims).mul(scale).toTypedArray() as Float32Array)],
});

interface Node {
  readonly op: string;
  readonly inputs: string[];
  readonly output: string;
  readonly ints?: Record<string, number[]>;
}

/**
 * An ONNX model on input "x" [1, 4, 8, 8]: convs a and b both read x; BN after a; a depthwise
 * conv whose channel 0 weights are `wideChannel` times larger, read only by the pointwise "head"
 * (its weights for that channel `wideChannel` times smaller).
 */
export async function sharedInputOnnx(wideChannel = 1): Promise<OnnxModule> {
  const nodes: Node[] = [
    { op: "Conv", inputs: ["x", "wa", "ba"], output: "ya", ints: { pads: [1, 1, 1, 1] } },
    { op: "BatchNormalization", inputs: ["ya", "g", "beta", "mean", "var"], output: "na" },
    { op: "Conv", inputs: ["x", "wb", "bb"], output: "yb", ints: { pads: [1, 1, 1, 1] } },
    { op: "Add", inputs: ["na", "yb"], output: "s" },
    { op: "Relu", inputs: ["s"], output: "r" },
    { op: "Conv", inputs: ["r", "wd"], output: "d", ints: { group: [4], pads: [1, 1, 1, 1] } },
    { op: "Conv", inputs: ["d", "wp"], output: "out", ints: { strides: [2, 2] } },
  ];
  const initializers: onnxProto.onnx.ITensorProto[] = [
    init("wa", [4, 4, 3, 3]),
    init("ba", [4], 0.1),
    { name: "g", dims: [4], dataType: 1, floatData: [1.2, 0.8, 1, 0.9] },
    init("beta", [4], 0.1),
    init("mean", [4], 0.1),
    { name: "var", dims: [4], dataType: 1, floatData: [0.9, 1.1, 1.5, 0.7] },
    init("wb", [4, 4, 3, 3]),
    init("bb", [4], 0.1),
    {
      ...init("wd", [4, 1, 3, 3]),
      ...scaledChannel0([4, 1, 3, 3], wideChannel, (i) => Math.floor(i / 9)),
    },
    // The wide channel's pointwise weights as much smaller: every channel matters in "out".
    {
      ...init("wp", [6, 4, 1, 1]),
      ...scaledChannel0([6, 4, 1, 1], 1 / wideChannel, (i) => i % 4),
    },
  ];
  return onnxOf("shared", nodes, initializers, [1, 4, 8, 8]);
}

/** Loads a one-input graph; nodes are named after their outputs ("node_<output>"), the one writing "out" is "head". */
function onnxOf(
  name: string,
  nodes: readonly Node[],
  initializer: onnxProto.onnx.ITensorProto[],
  inputDims: readonly number[],
): Promise<OnnxModule> {
  const graph: onnxProto.onnx.IGraphProto = {
    name,
    node: nodes.map((n) => ({
      name: n.output === "out" ? "head" : `node_${n.output}`,
      opType: n.op,
      input: n.inputs,
      output: [n.output],
      attribute: Object.entries(n.ints ?? {}).map(([name, v]) =>
        name === "group" || name === "axis"
          ? { name, type: 2, i: v[0] }
          : { name, type: 7, ints: v },
      ),
    })),
    initializer,
    input: [
      {
        name: "x",
        type: {
          tensorType: { elemType: 1, shape: { dim: inputDims.map((d) => ({ dimValue: d })) } },
        },
      },
    ],
    output: [{ name: "out", type: { tensorType: { elemType: 1 } } }],
  };
  const model = onnx.ModelProto.encode({
    irVersion: 8,
    opsetImport: [{ domain: "", version: 13 }],
    graph,
  }).finish();
  return loadOnnx(model);
}

/**
 * A residual stream like BlazeFace's: conv "a" (its output channel 0 `wideChannel` times larger)
 * -> ReLU r1; r1 -> depthwise (float16) -> pointwise p; Add(p, r1) -> ReLU r2 -> MaxPool ->
 * zero channel padding (Concat) -> the 1x1 "head" (input channel 0 weights `wideChannel` times
 * smaller), which reads the padded stream.
 */
export async function residualStreamOnnx(wideChannel = 1): Promise<OnnxModule> {
  const nodes: Node[] = [
    { op: "Conv", inputs: ["x", "wa", "ba"], output: "a", ints: { pads: [1, 1, 1, 1] } },
    { op: "Relu", inputs: ["a"], output: "r1" },
    { op: "Conv", inputs: ["r1", "wd"], output: "d", ints: { group: [4], pads: [1, 1, 1, 1] } },
    { op: "Conv", inputs: ["d", "wp", "bp"], output: "p" },
    { op: "Add", inputs: ["p", "r1"], output: "s" },
    { op: "Relu", inputs: ["s"], output: "r2" },
    { op: "MaxPool", inputs: ["r2"], output: "m", ints: { kernel_shape: [2, 2], strides: [2, 2] } },
    { op: "Concat", inputs: ["m", "zeros"], output: "padded", ints: { axis: [1] } },
    { op: "Conv", inputs: ["padded", "wh", "bh"], output: "out" },
  ];
  return onnxOf(
    "stream",
    nodes,
    [
      {
        ...init("wa", [4, 3, 3, 3]),
        ...scaledChannel0([4, 3, 3, 3], wideChannel, (i) => Math.floor(i / 27)),
      },
      init("ba", [4], 0.1),
      init("wd", [4, 1, 3, 3]),
      init("wp", [4, 4, 1, 1]),
      init("bp", [4], 0.1),
      { name: "zeros", dims: [1, 2, 4, 4], dataType: 1, floatData: new Array(32).fill(0) },
      {
        ...init("wh", [6, 6, 1, 1]),
        ...scaledChannel0([6, 6, 1, 1], 1 / wideChannel, (i) => i % 6),
      },
      init("bh", [6], 0.1),
    ],
    [1, 3, 8, 8],
  );
}

/**
 * One 3x3 stride-2 conv "head" on x [1, 3, 8, 8] with ONNX's asymmetric pads (bottom and right
 * only, as TensorFlow's SAME padding gives): it lowers to constant_pad_nd + conv2d.
 */
export function asymmetricPadOnnx(): Promise<OnnxModule> {
  const nodes: Node[] = [
    {
      op: "Conv",
      inputs: ["x", "w", "b"],
      output: "out",
      ints: { strides: [2, 2], pads: [0, 0, 1, 1] },
    },
  ];
  return onnxOf("asymmetric", nodes, [init("w", [5, 3, 3, 3]), init("b", [5], 0.1)], [1, 3, 8, 8]);
}
