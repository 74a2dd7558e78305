// The one-op (and few-op) model corpus: every supported op and its attribute variants, each
// compared with onnxruntime in ops.test.ts.

import type { ConstSpec, ModelSpec, NodeSpec, ValueSpec } from "./helpers.js";
import { seeded } from "./helpers.js";

export interface CorpusCase extends ModelSpec {
  readonly name: string;
  /** onnxruntime's cpu provider has no float16 kernel for this op (or the case casts to float32). */
  readonly float32Only?: boolean;
}

/** The case with float tensors (inputs, outputs, float initializers) in float16. */
export function toFloat16(c: CorpusCase): CorpusCase {
  const half = <T extends { type?: number }>(v: T): T =>
    (v.type ?? 1) === 1 ? { ...v, type: 10 } : v;
  // Resize's roi and scales stay float32 whatever the data type.
  const resizeParams = new Set(
    c.nodes.filter((n) => n.op === "Resize").flatMap((n) => n.inputs.slice(1)),
  );
  return {
    ...c,
    name: `${c.name} (float16)`,
    inputs: c.inputs.map(half),
    outputs: c.outputs.map((o) => ({ name: typeof o === "string" ? o : o.name, type: 10 })),
    initializers: (c.initializers ?? []).map((i) => (resizeParams.has(i.name) ? i : half(i))),
  };
}

const x = (shape: number[], name = "x"): ValueSpec => ({ name, shape });
const init = (name: string, shape: number[], seed: number): ConstSpec => ({
  name,
  shape,
  data: [
    ...seeded(
      shape.reduce((a, b) => a * b, 1),
      seed,
    ),
  ],
});
const ints = (name: string, data: number[]): ConstSpec => ({
  name,
  shape: [data.length],
  data,
  type: 7,
});
const floats = (name: string, data: number[]): ConstSpec => ({ name, shape: [data.length], data });

/** One node reading `x` (plus extra inputs) into `y`. */
function single(
  name: string,
  node: Omit<NodeSpec, "outputs"> & { outputs?: string[] },
  inputs: ValueSpec[],
  initializers: ConstSpec[] = [],
  opset?: number,
): CorpusCase {
  const outputs = node.outputs ?? ["y"];
  return {
    name,
    nodes: [{ ...node, outputs }],
    inputs,
    outputs,
    initializers,
    ...(opset ? { opset } : {}),
  };
}

const conv = (
  name: string,
  xs: number[],
  ws: number[],
  attrs: NodeSpec["attrs"],
  bias = true,
): CorpusCase =>
  single(
    name,
    { op: "Conv", inputs: bias ? ["x", "w", "b"] : ["x", "w"], attrs },
    [x(xs)],
    [init("w", ws, 7), ...(bias ? [init("b", [ws[0]!], 8)] : [])],
  );

const pool = (name: string, op: string, attrs: NodeSpec["attrs"], shape = [1, 3, 9, 9]) =>
  single(name, { op, inputs: ["x"], attrs }, [x(shape)]);

export const corpus: CorpusCase[] = [
  conv("Conv 3x3 pads 1", [1, 3, 8, 8], [4, 3, 3, 3], { pads: { ints: [1, 1, 1, 1] } }),
  conv("Conv stride 2 asymmetric pads", [1, 3, 9, 9], [4, 3, 3, 3], {
    strides: { ints: [2, 2] },
    pads: { ints: [0, 1, 2, 1] },
  }),
  conv("Conv 5x5 stride 2 pads [1,1,2,2] (BlazeFace)", [1, 3, 16, 16], [6, 3, 5, 5], {
    strides: { ints: [2, 2] },
    pads: { ints: [1, 1, 2, 2] },
  }),
  conv("Conv depthwise", [1, 4, 7, 7], [4, 1, 3, 3], {
    group: { i: 4 },
    pads: { ints: [1, 1, 1, 1] },
  }),
  conv("Conv groups 2 no bias", [2, 4, 6, 6], [6, 2, 3, 3], { group: { i: 2 } }, false),
  conv("Conv dilations 2", [1, 2, 9, 9], [3, 2, 3, 3], {
    dilations: { ints: [2, 2] },
    pads: { ints: [2, 2, 2, 2] },
  }),
  conv("Conv auto_pad SAME_UPPER stride 2", [1, 2, 8, 8], [3, 2, 3, 3], {
    auto_pad: { s: "SAME_UPPER" },
    strides: { ints: [2, 2] },
  }),
  conv("Conv auto_pad SAME_LOWER", [1, 2, 7, 7], [3, 2, 2, 2], { auto_pad: { s: "SAME_LOWER" } }),
  conv("Conv auto_pad VALID", [1, 2, 7, 7], [3, 2, 3, 3], { auto_pad: { s: "VALID" } }),
  conv("Conv 1-D", [1, 3, 10], [4, 3, 3], { pads: { ints: [1, 2] } }),
  {
    name: "Conv + BatchNormalization (folded)",
    nodes: [
      {
        op: "Conv",
        inputs: ["x", "w", "b"],
        outputs: ["c"],
        attrs: { pads: { ints: [1, 1, 1, 1] } },
      },
      {
        op: "BatchNormalization",
        inputs: ["c", "s", "bb", "m", "v"],
        outputs: ["y"],
        attrs: { epsilon: { f: 1e-3 } },
      },
    ],
    inputs: [x([1, 3, 6, 6])],
    outputs: ["y"],
    initializers: [
      init("w", [4, 3, 3, 3], 1),
      init("b", [4], 2),
      init("s", [4], 3),
      init("bb", [4], 4),
      init("m", [4], 5),
      floats("v", [0.5, 1, 2, 3]),
    ],
  },
  single(
    "BatchNormalization alone",
    { op: "BatchNormalization", inputs: ["x", "s", "bb", "m", "v"] },
    [x([2, 3, 4, 4])],
    [init("s", [3], 3), init("bb", [3], 4), init("m", [3], 5), floats("v", [0.5, 1, 2])],
  ),

  single("Relu", { op: "Relu", inputs: ["x"] }, [x([2, 3, 4])]),
  single("LeakyRelu", { op: "LeakyRelu", inputs: ["x"], attrs: { alpha: { f: 0.1 } } }, [
    x([2, 3, 4]),
  ]),
  single(
    "PRelu per channel",
    { op: "PRelu", inputs: ["x", "slope"] },
    [x([1, 3, 4, 4])],
    [init("slope", [3, 1, 1], 9)],
  ),
  single(
    "Clip opset 11 (inputs)",
    { op: "Clip", inputs: ["x", "lo", "hi"] },
    [x([2, 8])],
    [
      { name: "lo", shape: [], data: [-0.5] },
      { name: "hi", shape: [], data: [1] },
    ],
    11,
  ),
  single(
    "Clip opset 11 max only",
    { op: "Clip", inputs: ["x", "", "hi"] },
    [x([2, 8])],
    [{ name: "hi", shape: [], data: [0.25] }],
    11,
  ),
  single(
    "Clip opset 9 (attributes)",
    { op: "Clip", inputs: ["x"], attrs: { min: { f: -1 }, max: { f: 0.5 } } },
    [x([2, 8])],
    [],
    9,
  ),
  single(
    "HardSigmoid",
    { op: "HardSigmoid", inputs: ["x"], attrs: { alpha: { f: 0.3 }, beta: { f: 0.4 } } },
    [x([3, 5])],
  ),
  single("HardSwish", { op: "HardSwish", inputs: ["x"] }, [x([3, 5])]),
  single("Neg", { op: "Neg", inputs: ["x"] }, [x([7])]),
  single("Abs", { op: "Abs", inputs: ["x"] }, [x([7])]),
  single("Identity", { op: "Identity", inputs: ["x"] }, [x([7])]),
  single("Dropout (inference)", { op: "Dropout", inputs: ["x"] }, [x([7])]),
  single(
    "Pow 2",
    { op: "Pow", inputs: ["x", "e"] },
    [x([2, 5])],
    [{ name: "e", shape: [], data: [2] }],
  ),
  single(
    "Add broadcast",
    { op: "Add", inputs: ["x", "c"] },
    [x([2, 3, 4])],
    [init("c", [3, 1], 3)],
  ),
  single("Sub", { op: "Sub", inputs: ["c", "x"] }, [x([2, 3, 4])], [init("c", [4], 3)]),
  single("Mul two inputs", { op: "Mul", inputs: ["x", "z"] }, [x([2, 3, 4]), x([1, 3, 1], "z")]),
  single("Div", { op: "Div", inputs: ["x", "c"] }, [x([2, 3])], [floats("c", [0.5, -2, 3])]),

  pool(
    "MaxPool 2x2 stride 2",
    "MaxPool",
    { kernel_shape: { ints: [2, 2] }, strides: { ints: [2, 2] } },
    [1, 3, 8, 8],
  ),
  pool("MaxPool 3x3 stride 2 pads 1", "MaxPool", {
    kernel_shape: { ints: [3, 3] },
    strides: { ints: [2, 2] },
    pads: { ints: [1, 1, 1, 1] },
  }),
  pool("MaxPool ceil_mode", "MaxPool", {
    kernel_shape: { ints: [2, 2] },
    strides: { ints: [2, 2] },
    ceil_mode: { i: 1 },
  }),
  pool("MaxPool dilations", "MaxPool", {
    kernel_shape: { ints: [2, 2] },
    dilations: { ints: [2, 2] },
  }),
  pool("MaxPool auto_pad SAME_UPPER", "MaxPool", {
    kernel_shape: { ints: [3, 3] },
    auto_pad: { s: "SAME_UPPER" },
  }),
  pool("AveragePool count_include_pad 0", "AveragePool", {
    kernel_shape: { ints: [3, 3] },
    strides: { ints: [2, 2] },
    pads: { ints: [1, 1, 1, 1] },
  }),
  pool("AveragePool count_include_pad 1", "AveragePool", {
    kernel_shape: { ints: [3, 3] },
    strides: { ints: [2, 2] },
    pads: { ints: [1, 1, 1, 1] },
    count_include_pad: { i: 1 },
  }),
  pool("AveragePool ceil_mode", "AveragePool", {
    kernel_shape: { ints: [2, 2] },
    strides: { ints: [2, 2] },
    ceil_mode: { i: 1 },
  }),
  pool("GlobalAveragePool", "GlobalAveragePool", {}),
  pool("GlobalMaxPool", "GlobalMaxPool", {}),

  single("Concat axis 1", { op: "Concat", inputs: ["x", "z"], attrs: { axis: { i: 1 } } }, [
    x([1, 2, 3, 3]),
    x([1, 3, 3, 3], "z"),
  ]),
  single(
    "Concat axis -1 three parts with a constant",
    { op: "Concat", inputs: ["x", "c", "z"], attrs: { axis: { i: -1 } } },
    [x([2, 3]), x([2, 4], "z")],
    [init("c", [2, 2], 4)],
  ),
  single("Concat axis 0", { op: "Concat", inputs: ["x", "z"], attrs: { axis: { i: 0 } } }, [
    x([2, 3]),
    x([1, 3], "z"),
  ]),
  {
    name: "ConstantOfShape + Concat (BlazeFace channel padding)",
    float32Only: true,
    nodes: [
      { op: "ConstantOfShape", inputs: ["shape"], outputs: ["zeros"] },
      { op: "Concat", inputs: ["x", "zeros"], outputs: ["y"], attrs: { axis: { i: 1 } } },
    ],
    inputs: [x([1, 3, 4, 4])],
    outputs: ["y"],
    initializers: [ints("shape", [1, 2, 4, 4])],
  },
  single(
    "Pad zeros",
    { op: "Pad", inputs: ["x", "pads"] },
    [x([1, 2, 3, 3])],
    [ints("pads", [0, 0, 1, 2, 0, 0, 2, 1])],
  ),
  single(
    "Pad value 1.5, negative pads",
    { op: "Pad", inputs: ["x", "pads", "v"] },
    [x([2, 5])],
    [ints("pads", [1, -1, 0, 2]), { name: "v", shape: [], data: [1.5] }],
  ),
  single(
    "Pad opset 9 attributes",
    { op: "Pad", inputs: ["x"], attrs: { pads: { ints: [0, 1, 1, 0] }, value: { f: -3 } } },
    [x([3, 4])],
    [],
    9,
  ),

  single(
    "Reshape 0 and -1",
    { op: "Reshape", inputs: ["x", "s"] },
    [x([2, 3, 4])],
    [ints("s", [0, -1])],
  ),
  single("Flatten axis 2", { op: "Flatten", inputs: ["x"], attrs: { axis: { i: 2 } } }, [
    x([2, 3, 4, 5]),
  ]),
  single("Transpose", { op: "Transpose", inputs: ["x"], attrs: { perm: { ints: [0, 2, 3, 1] } } }, [
    x([1, 2, 3, 4]),
  ]),
  single("Transpose default", { op: "Transpose", inputs: ["x"] }, [x([2, 3, 4])]),
  single(
    "Unsqueeze opset 11",
    { op: "Unsqueeze", inputs: ["x"], attrs: { axes: { ints: [0, -1] } } },
    [x([2, 3])],
    [],
    11,
  ),
  single(
    "Unsqueeze opset 13",
    { op: "Unsqueeze", inputs: ["x", "a"] },
    [x([2, 3])],
    [ints("a", [1])],
  ),
  single(
    "Squeeze opset 13",
    { op: "Squeeze", inputs: ["x", "a"] },
    [x([2, 1, 3, 1])],
    [ints("a", [1])],
  ),
  single("Squeeze all", { op: "Squeeze", inputs: ["x"] }, [x([1, 2, 1, 3])]),
  single(
    "Slice steps and negative starts",
    { op: "Slice", inputs: ["x", "st", "en", "ax", "sp"] },
    [x([4, 10])],
    [ints("st", [-8, 1]), ints("en", [100, 3]), ints("ax", [1, 0]), ints("sp", [3, 1])],
  ),
  single(
    "Slice opset 9",
    {
      op: "Slice",
      inputs: ["x"],
      attrs: { starts: { ints: [1] }, ends: { ints: [3] }, axes: { ints: [0] } },
    },
    [x([4, 3])],
    [],
    9,
  ),
  single(
    "Split opset 13 sizes",
    { op: "Split", inputs: ["x", "s"], outputs: ["y", "y2"], attrs: { axis: { i: 1 } } },
    [x([2, 5])],
    [ints("s", [2, 3])],
  ),
  single(
    "Split opset 18 num_outputs",
    {
      op: "Split",
      inputs: ["x"],
      outputs: ["y", "y2", "y3"],
      attrs: { axis: { i: 0 }, num_outputs: { i: 3 } },
    },
    [x([7, 2])],
    [],
    18,
  ),
  single("Expand", { op: "Expand", inputs: ["x", "s"] }, [x([3, 1])], [ints("s", [2, 1, 4])]),
  single("Tile", { op: "Tile", inputs: ["x", "r"] }, [x([2, 3])], [ints("r", [2, 3])]),
  single(
    "Gather scalar index",
    { op: "Gather", inputs: ["x", "i"], attrs: { axis: { i: 1 } } },
    [x([2, 4, 3])],
    [{ name: "i", shape: [], data: [-1], type: 7 }],
  ),
  single(
    "Gather index run",
    { op: "Gather", inputs: ["x", "i"] },
    [x([5, 3])],
    [ints("i", [1, 2, 3])],
  ),
  {
    name: "Shape -> Gather -> Unsqueeze -> Concat -> Reshape (folded at load)",
    nodes: [
      { op: "Shape", inputs: ["x"], outputs: ["shape"] },
      { op: "Gather", inputs: ["shape", "zero"], outputs: ["n"], attrs: { axis: { i: 0 } } },
      { op: "Unsqueeze", inputs: ["n", "axes"], outputs: ["n1"] },
      { op: "Concat", inputs: ["n1", "minus1"], outputs: ["target"], attrs: { axis: { i: 0 } } },
      { op: "Reshape", inputs: ["x", "target"], outputs: ["y"] },
    ],
    inputs: [x([2, 3, 4])],
    outputs: ["y"],
    initializers: [
      { name: "zero", shape: [], data: [0], type: 7 },
      ints("axes", [0]),
      ints("minus1", [-1]),
    ],
  },
  single("Add of an input to itself", { op: "Add", inputs: ["x", "x"] }, [x([3])]),
  {
    name: "Constant node",
    float32Only: true,
    nodes: [
      {
        op: "Constant",
        inputs: [],
        outputs: ["c"],
        attrs: { value_floats: { floats: [1, 2, 3] } },
      },
      { op: "Mul", inputs: ["x", "c"], outputs: ["y"] },
    ],
    inputs: [x([2, 3])],
    outputs: ["y"],
  },
  single(
    "MatMul batched x 2-D",
    { op: "MatMul", inputs: ["x", "w"] },
    [x([2, 3, 4])],
    [init("w", [4, 5], 2)],
  ),
  single(
    "Gemm transB alpha beta",
    {
      op: "Gemm",
      inputs: ["x", "w", "c"],
      attrs: { transB: { i: 1 }, alpha: { f: 0.5 }, beta: { f: 2 } },
    },
    [x([3, 4])],
    [init("w", [5, 4], 2), init("c", [5], 3)],
  ),
  single(
    "Gemm transA no C",
    { op: "Gemm", inputs: ["x", "w"], attrs: { transA: { i: 1 } } },
    [x([4, 3])],
    [init("w", [4, 2], 2)],
  ),
  single(
    "ReduceMean opset 13 attribute",
    { op: "ReduceMean", inputs: ["x"], attrs: { axes: { ints: [1] }, keepdims: { i: 0 } } },
    [x([2, 3, 4])],
    [],
    13,
  ),
  single(
    "ReduceMean opset 18 input",
    { op: "ReduceMean", inputs: ["x", "a"] },
    [x([2, 3, 4])],
    [ints("a", [-1, 0])],
    18,
  ),
  single(
    "ReduceSum opset 13",
    { op: "ReduceSum", inputs: ["x", "a"], attrs: { keepdims: { i: 1 } } },
    [x([2, 3, 4])],
    [ints("a", [2])],
    13,
  ),
  single(
    "ReduceMax all",
    { op: "ReduceMax", inputs: ["x"], attrs: { keepdims: { i: 0 } } },
    [x([2, 3])],
    [],
    13,
  ),
  single(
    "ReduceMin",
    { op: "ReduceMin", inputs: ["x"], attrs: { axes: { ints: [0] } } },
    [x([2, 3])],
    [],
    13,
  ),
  {
    name: "Cast to float16 and back",
    float32Only: true,
    nodes: [
      { op: "Cast", inputs: ["x"], outputs: ["h"], attrs: { to: { i: 10 } } },
      { op: "Cast", inputs: ["h"], outputs: ["y"], attrs: { to: { i: 1 } } },
    ],
    inputs: [x([6])],
    outputs: ["y"],
  },

  single(
    "Resize nearest x2 (half_pixel, round_prefer_floor)",
    { op: "Resize", inputs: ["x", "", "s"] },
    [x([1, 2, 3, 4])],
    [floats("s", [1, 1, 2, 2])],
  ),
  single(
    "Resize nearest x3 by sizes (asymmetric, floor)",
    {
      op: "Resize",
      inputs: ["x", "", "", "sz"],
      attrs: { coordinate_transformation_mode: { s: "asymmetric" }, nearest_mode: { s: "floor" } },
    },
    [x([1, 2, 3, 2])],
    [ints("sz", [1, 2, 9, 6])],
  ),
  single(
    "Resize nearest downscale by 2 (asymmetric)",
    {
      op: "Resize",
      inputs: ["x", "", "s"],
      attrs: { coordinate_transformation_mode: { s: "asymmetric" } },
    },
    [x([1, 1, 6, 8])],
    [floats("s", [1, 1, 0.5, 0.5])],
  ),
  single(
    "Resize opset 10 (scales input)",
    { op: "Resize", inputs: ["x", "s"], attrs: { mode: { s: "nearest" } } },
    [x([1, 2, 2, 3])],
    [floats("s", [1, 1, 2, 2])],
    10,
  ),
  single(
    "Upsample-like Resize of a 3-D tensor",
    {
      op: "Resize",
      inputs: ["x", "", "s"],
      attrs: { coordinate_transformation_mode: { s: "pytorch_half_pixel" } },
    },
    [x([2, 3, 2])],
    [floats("s", [1, 2, 3])],
  ),

  single("Sigmoid", { op: "Sigmoid", inputs: ["x"] }, [x([3, 7])]),
  single("Tanh", { op: "Tanh", inputs: ["x"] }, [x([3, 7])]),
  single("Exp", { op: "Exp", inputs: ["x"] }, [x([3, 7])]),
  single("Sqrt (NaN for negatives)", { op: "Sqrt", inputs: ["x"] }, [x([3, 7])]),
  single("LeakyRelu default alpha", { op: "LeakyRelu", inputs: ["x"] }, [x([2, 9])]),
  single("HardSigmoid defaults", { op: "HardSigmoid", inputs: ["x"] }, [x([2, 9])]),
  single(
    "PRelu one slope",
    { op: "PRelu", inputs: ["x", "slope"] },
    [x([2, 3, 4])],
    [floats("slope", [0.25])],
  ),
  single("Softmax opset 13 (last axis)", { op: "Softmax", inputs: ["x"] }, [x([2, 3, 5])]),
  single("Softmax opset 13 axis 1", { op: "Softmax", inputs: ["x"], attrs: { axis: { i: 1 } } }, [
    x([2, 3, 5]),
  ]),
  single(
    "Softmax opset 11 (flattened at axis 1)",
    { op: "Softmax", inputs: ["x"] },
    [x([2, 3, 5])],
    [],
    11,
  ),
  single(
    "Pow 3",
    { op: "Pow", inputs: ["x", "e"] },
    [x([2, 5])],
    [{ name: "e", shape: [], data: [3] }],
  ),
  single(
    "Pow 0.5 (NaN for negatives)",
    { op: "Pow", inputs: ["x", "e"] },
    [x([2, 5])],
    [{ name: "e", shape: [], data: [0.5] }],
  ),
  single(
    "Pow int64 exponent -2",
    { op: "Pow", inputs: ["x", "e"] },
    [x([2, 5])],
    [{ name: "e", shape: [], data: [-2], type: 7 }],
  ),
  single("Pow tensor exponent (run time)", { op: "Pow", inputs: ["x", "z"] }, [
    x([2, 3, 4]),
    x([3, 1], "z"),
  ]),
  single(
    "Pow constant tensor exponent",
    { op: "Pow", inputs: ["x", "e"] },
    [x([2, 3])],
    [floats("e", [2, -1, 4])],
  ),
  single(
    "Concat of 3, axis -1",
    { op: "Concat", inputs: ["x", "z", "x"], attrs: { axis: { i: -1 } } },
    [x([2, 3, 2]), x([2, 3, 4], "z")],
  ),
  single(
    "Pad with axes (opset 18)",
    { op: "Pad", inputs: ["x", "pads", "v", "axes"] },
    [x([2, 3, 4])],
    [ints("pads", [2, -1, 1, 3]), { name: "v", shape: [], data: [-0.5] }, ints("axes", [0, 2])],
    18,
  ),
  single(
    "Resize nearest with axes (opset 18)",
    { op: "Resize", inputs: ["x", "", "s"], attrs: { axes: { ints: [2, 3] } } },
    [x([1, 2, 3, 4])],
    [floats("s", [2, 1.5])],
    18,
  ),
  single(
    "Resize linear downscale (half_pixel)",
    { op: "Resize", inputs: ["x", "", "s"], attrs: { mode: { s: "linear" } } },
    [x([1, 2, 8, 6])],
    [floats("s", [1, 1, 0.5, 0.75])],
  ),
  single(
    "Resize linear x2 (half_pixel)",
    {
      op: "Resize",
      inputs: ["x", "", "s"],
      attrs: { mode: { s: "linear" }, coordinate_transformation_mode: { s: "half_pixel" } },
    },
    [x([1, 2, 3, 4])],
    [floats("s", [1, 1, 2, 2])],
  ),
  single(
    "Resize linear to sizes 5x3 (half_pixel)",
    {
      op: "Resize",
      inputs: ["x", "", "", "sz"],
      attrs: { mode: { s: "linear" }, coordinate_transformation_mode: { s: "half_pixel" } },
    },
    [x([1, 2, 4, 6])],
    [ints("sz", [1, 2, 5, 3])],
  ),
  single(
    "Resize linear x2 (pytorch_half_pixel)",
    {
      op: "Resize",
      inputs: ["x", "", "s"],
      attrs: { mode: { s: "linear" }, coordinate_transformation_mode: { s: "pytorch_half_pixel" } },
    },
    [x([1, 2, 3, 4])],
    [floats("s", [1, 1, 2, 2])],
  ),
  single(
    "Resize linear to sizes 5x3 (pytorch_half_pixel)",
    {
      op: "Resize",
      inputs: ["x", "", "", "sz"],
      attrs: { mode: { s: "linear" }, coordinate_transformation_mode: { s: "pytorch_half_pixel" } },
    },
    [x([1, 2, 4, 6])],
    [ints("sz", [1, 2, 5, 3])],
  ),
  single(
    "Resize linear x2 (align_corners)",
    {
      op: "Resize",
      inputs: ["x", "", "s"],
      attrs: { mode: { s: "linear" }, coordinate_transformation_mode: { s: "align_corners" } },
    },
    [x([1, 2, 3, 4])],
    [floats("s", [1, 1, 2, 2])],
  ),
  single(
    "Resize linear to sizes 5x3 (align_corners)",
    {
      op: "Resize",
      inputs: ["x", "", "", "sz"],
      attrs: { mode: { s: "linear" }, coordinate_transformation_mode: { s: "align_corners" } },
    },
    [x([1, 2, 4, 6])],
    [ints("sz", [1, 2, 5, 3])],
  ),
  single(
    "Resize linear x2 (asymmetric)",
    {
      op: "Resize",
      inputs: ["x", "", "s"],
      attrs: { mode: { s: "linear" }, coordinate_transformation_mode: { s: "asymmetric" } },
    },
    [x([1, 2, 3, 4])],
    [floats("s", [1, 1, 2, 2])],
  ),
  single(
    "Resize linear to sizes 5x3 (asymmetric)",
    {
      op: "Resize",
      inputs: ["x", "", "", "sz"],
      attrs: { mode: { s: "linear" }, coordinate_transformation_mode: { s: "asymmetric" } },
    },
    [x([1, 2, 4, 6])],
    [ints("sz", [1, 2, 5, 3])],
  ),
  single(
    "Resize nearest x1.5 (half_pixel, round_prefer_floor)",
    {
      op: "Resize",
      inputs: ["x", "", "s"],
      attrs: {
        coordinate_transformation_mode: { s: "half_pixel" },
        nearest_mode: { s: "round_prefer_floor" },
      },
    },
    [x([1, 1, 4, 6])],
    [floats("s", [1, 1, 1.5, 1.75])],
  ),
  single(
    "Resize nearest x1.5 (align_corners, round_prefer_floor)",
    {
      op: "Resize",
      inputs: ["x", "", "s"],
      attrs: {
        coordinate_transformation_mode: { s: "align_corners" },
        nearest_mode: { s: "round_prefer_floor" },
      },
    },
    [x([1, 1, 4, 6])],
    [floats("s", [1, 1, 1.5, 1.75])],
  ),
  single(
    "Resize nearest x1.5 (asymmetric, round_prefer_floor)",
    {
      op: "Resize",
      inputs: ["x", "", "s"],
      attrs: {
        coordinate_transformation_mode: { s: "asymmetric" },
        nearest_mode: { s: "round_prefer_floor" },
      },
    },
    [x([1, 1, 4, 6])],
    [floats("s", [1, 1, 1.5, 1.75])],
  ),
  single(
    "Resize nearest x1.5 (tf_half_pixel_for_nn, round_prefer_floor)",
    {
      op: "Resize",
      inputs: ["x", "", "s"],
      attrs: {
        coordinate_transformation_mode: { s: "tf_half_pixel_for_nn" },
        nearest_mode: { s: "round_prefer_floor" },
      },
    },
    [x([1, 1, 4, 6])],
    [floats("s", [1, 1, 1.5, 1.75])],
  ),
  single(
    "Resize nearest x1.5 (half_pixel, round_prefer_ceil)",
    {
      op: "Resize",
      inputs: ["x", "", "s"],
      attrs: {
        coordinate_transformation_mode: { s: "half_pixel" },
        nearest_mode: { s: "round_prefer_ceil" },
      },
    },
    [x([1, 1, 4, 6])],
    [floats("s", [1, 1, 1.5, 1.75])],
  ),
  single(
    "Resize nearest x1.5 (align_corners, round_prefer_ceil)",
    {
      op: "Resize",
      inputs: ["x", "", "s"],
      attrs: {
        coordinate_transformation_mode: { s: "align_corners" },
        nearest_mode: { s: "round_prefer_ceil" },
      },
    },
    [x([1, 1, 4, 6])],
    [floats("s", [1, 1, 1.5, 1.75])],
  ),
  single(
    "Resize nearest x1.5 (asymmetric, round_prefer_ceil)",
    {
      op: "Resize",
      inputs: ["x", "", "s"],
      attrs: {
        coordinate_transformation_mode: { s: "asymmetric" },
        nearest_mode: { s: "round_prefer_ceil" },
      },
    },
    [x([1, 1, 4, 6])],
    [floats("s", [1, 1, 1.5, 1.75])],
  ),
  single(
    "Resize nearest x1.5 (tf_half_pixel_for_nn, round_prefer_ceil)",
    {
      op: "Resize",
      inputs: ["x", "", "s"],
      attrs: {
        coordinate_transformation_mode: { s: "tf_half_pixel_for_nn" },
        nearest_mode: { s: "round_prefer_ceil" },
      },
    },
    [x([1, 1, 4, 6])],
    [floats("s", [1, 1, 1.5, 1.75])],
  ),
  single(
    "Resize nearest x1.5 (half_pixel, floor)",
    {
      op: "Resize",
      inputs: ["x", "", "s"],
      attrs: { coordinate_transformation_mode: { s: "half_pixel" }, nearest_mode: { s: "floor" } },
    },
    [x([1, 1, 4, 6])],
    [floats("s", [1, 1, 1.5, 1.75])],
  ),
  single(
    "Resize nearest x1.5 (align_corners, floor)",
    {
      op: "Resize",
      inputs: ["x", "", "s"],
      attrs: {
        coordinate_transformation_mode: { s: "align_corners" },
        nearest_mode: { s: "floor" },
      },
    },
    [x([1, 1, 4, 6])],
    [floats("s", [1, 1, 1.5, 1.75])],
  ),
  single(
    "Resize nearest x1.5 (asymmetric, floor)",
    {
      op: "Resize",
      inputs: ["x", "", "s"],
      attrs: { coordinate_transformation_mode: { s: "asymmetric" }, nearest_mode: { s: "floor" } },
    },
    [x([1, 1, 4, 6])],
    [floats("s", [1, 1, 1.5, 1.75])],
  ),
  single(
    "Resize nearest x1.5 (tf_half_pixel_for_nn, floor)",
    {
      op: "Resize",
      inputs: ["x", "", "s"],
      attrs: {
        coordinate_transformation_mode: { s: "tf_half_pixel_for_nn" },
        nearest_mode: { s: "floor" },
      },
    },
    [x([1, 1, 4, 6])],
    [floats("s", [1, 1, 1.5, 1.75])],
  ),
  single(
    "Resize nearest x1.5 (half_pixel, ceil)",
    {
      op: "Resize",
      inputs: ["x", "", "s"],
      attrs: { coordinate_transformation_mode: { s: "half_pixel" }, nearest_mode: { s: "ceil" } },
    },
    [x([1, 1, 4, 6])],
    [floats("s", [1, 1, 1.5, 1.75])],
  ),
  single(
    "Resize nearest x1.5 (align_corners, ceil)",
    {
      op: "Resize",
      inputs: ["x", "", "s"],
      attrs: {
        coordinate_transformation_mode: { s: "align_corners" },
        nearest_mode: { s: "ceil" },
      },
    },
    [x([1, 1, 4, 6])],
    [floats("s", [1, 1, 1.5, 1.75])],
  ),
  single(
    "Resize nearest x1.5 (asymmetric, ceil)",
    {
      op: "Resize",
      inputs: ["x", "", "s"],
      attrs: { coordinate_transformation_mode: { s: "asymmetric" }, nearest_mode: { s: "ceil" } },
    },
    [x([1, 1, 4, 6])],
    [floats("s", [1, 1, 1.5, 1.75])],
  ),
  single(
    "Resize nearest x1.5 (tf_half_pixel_for_nn, ceil)",
    {
      op: "Resize",
      inputs: ["x", "", "s"],
      attrs: {
        coordinate_transformation_mode: { s: "tf_half_pixel_for_nn" },
        nearest_mode: { s: "ceil" },
      },
    },
    [x([1, 1, 4, 6])],
    [floats("s", [1, 1, 1.5, 1.75])],
  ),
  single(
    "ConvTranspose stride 2 pads 1 output_padding 1",
    {
      op: "ConvTranspose",
      inputs: ["x", "w", "b"],
      attrs: {
        strides: { ints: [2, 2] },
        pads: { ints: [1, 1, 1, 1] },
        output_padding: { ints: [1, 1] },
      },
    },
    [x([1, 3, 4, 5])],
    [init("w", [3, 2, 3, 3], 7), init("b", [2], 8)],
  ),
  single(
    "ConvTranspose groups 2 asymmetric pads",
    {
      op: "ConvTranspose",
      inputs: ["x", "w"],
      attrs: { group: { i: 2 }, strides: { ints: [3, 2] }, pads: { ints: [0, 1, 2, 0] } },
    },
    [x([2, 4, 3, 3])],
    [init("w", [4, 3, 2, 3], 7)],
  ),
  single(
    "ConvTranspose dilations 2 stride 1",
    { op: "ConvTranspose", inputs: ["x", "w"], attrs: { dilations: { ints: [2, 2] } } },
    [x([1, 2, 4, 4])],
    [init("w", [2, 3, 3, 3], 7)],
  ),

  {
    name: "int64 shape arithmetic folded at load (Mul, Div, Sub, Cast, Slice, Concat)",
    nodes: [
      { op: "Shape", inputs: ["x"], outputs: ["shape"] },
      { op: "Slice", inputs: ["shape", "one", "three"], outputs: ["hw"] },
      { op: "Gather", inputs: ["hw", "zero"], outputs: ["h"] },
      { op: "Gather", inputs: ["hw", "one0"], outputs: ["w"] },
      { op: "Mul", inputs: ["h", "w"], outputs: ["hw2"] },
      { op: "Div", inputs: ["hw2", "two"], outputs: ["half"] },
      { op: "Sub", inputs: ["half", "zero"], outputs: ["half2"] },
      { op: "Cast", inputs: ["half2"], outputs: ["halfF"], attrs: { to: { i: 1 } } },
      { op: "Cast", inputs: ["halfF"], outputs: ["halfI"], attrs: { to: { i: 7 } } },
      { op: "Unsqueeze", inputs: ["halfI", "axes"], outputs: ["half1"] },
      {
        op: "Concat",
        inputs: ["minus1", "two1", "half1"],
        outputs: ["target"],
        attrs: { axis: { i: 0 } },
      },
      { op: "Reshape", inputs: ["x", "target"], outputs: ["y"] },
    ],
    inputs: [x([2, 3, 4])],
    outputs: ["y"],
    initializers: [
      ints("one", [1]),
      ints("three", [3]),
      { name: "zero", shape: [], data: [0], type: 7 },
      { name: "one0", shape: [], data: [1], type: 7 },
      { name: "two", shape: [], data: [2], type: 7 },
      ints("axes", [0]),
      ints("minus1", [-1]),
      ints("two1", [2]),
    ],
  },

  {
    name: "Equal, Not, Where at run time (negatives replaced)",
    nodes: [
      { op: "Relu", inputs: ["x"], outputs: ["r"] },
      { op: "Equal", inputs: ["x", "r"], outputs: ["same"] },
      { op: "Not", inputs: ["same"], outputs: ["negative"] },
      { op: "Where", inputs: ["negative", "c", "x"], outputs: ["y"] },
    ],
    inputs: [x([2, 3])],
    outputs: ["y"],
    initializers: [floats("c", [7, 8, 9])],
  },
  {
    name: "Range of constants feeding a Gather",
    nodes: [
      { op: "Range", inputs: ["start", "limit", "delta"], outputs: ["idx"] },
      { op: "Gather", inputs: ["x", "idx"], outputs: ["y"], attrs: { axis: { i: 1 } } },
    ],
    inputs: [x([2, 6])],
    outputs: ["y"],
    initializers: [
      { name: "start", shape: [], data: [1], type: 7 },
      { name: "limit", shape: [], data: [4], type: 7 },
      { name: "delta", shape: [], data: [1], type: 7 },
    ],
  },
];
