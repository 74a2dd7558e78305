// Every command's declaration: options, help and examples. The implementation of each is
// imported only when it runs.
import type { CommandSpec } from "../cli/spec.js";
import { SHAPE_FORMAT } from "../shape.js";

const SOCS = "Ascend910B, Ascend910_93, Ascend310P";
const shape = { type: "string", value: "S", description: `the problem: ${SHAPE_FORMAT}` } as const;
const soc = {
  type: "string",
  value: "NAME|all",
  description: `one product (${SOCS}) or all (default)`,
} as const;
const json = { type: "boolean", description: "print JSON instead of a table" } as const;
const inputShape = {
  type: "string",
  value: "DIMS",
  description: "the input's shape when the model leaves dims symbolic (a batch)",
} as const;

export const commands: readonly CommandSpec[] = [
  {
    name: "info",
    summary: "the backends, devices and simulated products",
    usage: [""],
    positionals: [],
    options: {},
    examples: ["tsnpu info"],
    load: () => import("./info.js"),
  },
  {
    name: "check",
    summary: "whether each product accepts a QuantConv2d shape or an ONNX network, and why not",
    usage: ["--shape S [--soc NAME|all]", "<model.onnx> [--soc NAME|all] [--input-shape DIMS]"],
    positionals: [{ name: "model.onnx", optional: true }],
    options: { shape, soc, "input-shape": inputShape },
    details:
      "A network is loaded in float16 and compiled for each product by the simulator's planner;\n" +
      "a product that cannot run it lists every layer it refuses.\n" +
      "Exit code 1 when no selected product accepts the shape or network.",
    examples: [
      "tsnpu check --shape 1,4,8,3,4,3",
      "tsnpu check --shape=1,64,56,56,64,3,1,1 --soc Ascend310P",
      "tsnpu check face_detection_front_128x128_barracuda.onnx",
    ],
    load: () => import("./check.js"),
  },
  {
    name: "profile",
    summary: "the modelled time of a QuantConv2d or an ONNX network per simulated product",
    usage: [
      "--shape S [--soc NAME|all] [--json] [--trace FILE]",
      "<model.onnx> [--soc NAME|all] [--input-shape DIMS] [--json] [--trace FILE]",
    ],
    positionals: [{ name: "model.onnx", optional: true }],
    options: {
      shape,
      soc,
      "input-shape": inputShape,
      json,
      trace: {
        type: "string",
        value: "FILE",
        description: "also write a Chrome trace (chrome://tracing, ui.perfetto.dev) of the ops",
      },
    },
    details:
      "--shape runs one QuantConv2d compiled (graph mode) on each product with random int8 data\n" +
      "and prints the simulator's profile: cycles, bound unit, TOPS, tiles, bytes moved, with the\n" +
      "[doc]/[est]/[assume] tags of the constants behind them. A <model.onnx> is loaded in float16,\n" +
      "compiled for each product and run once on random input: one row per layer, one column per\n" +
      "product, the totals and the time per unit. A product that refuses says why.\n" +
      "Exit code 1 when every selected product refuses.",
    examples: [
      "tsnpu profile --shape 1,64,56,56,64,3,1,1",
      "tsnpu profile --shape=1,16,8,8,16,3 --soc Ascend910_93 --json",
      "tsnpu profile --shape 1,64,56,56,64,3,1,1 --trace profile.json",
      "tsnpu profile face_detection_front_128x128_barracuda.onnx --soc all",
    ],
    load: () => import("./profile.js"),
  },
  {
    name: "verify",
    summary: "every golden conformance vector on every backend, bit for bit",
    usage: ["[--device cpu|wasm|npu] [--soc NAME|all] [--json]"],
    positionals: [],
    options: {
      device: {
        type: "string",
        value: "cpu|wasm|npu",
        description: "only this backend (default: all of them)",
        choices: ["cpu", "wasm", "npu"],
      },
      soc,
      json,
    },
    details:
      "Runs the golden vectors shipped with the CLI (quant_conv2d through QuantConv2d, the\n" +
      "functional op and compile(); npu_quantize eagerly and as a graph; float16 conversions;\n" +
      "npu_trans_quant_param) on cpu, wasm with 1 and 2 threads, and each simulated product. The\n" +
      "Atlas inference series (Ascend310P) saturates float16 and must refuse the shapes its load\n" +
      "unit cannot take and npu_quantize with axis -2.\n" +
      "Exit code 1 on any mismatch.",
    examples: [
      "tsnpu verify",
      "tsnpu verify --device npu --soc Ascend310P",
      "tsnpu verify --device cpu --json",
    ],
    load: () => import("./verify.js"),
  },
  {
    name: "run",
    summary:
      "an ONNX or quantized (.safetensors) model on an image, .npy or .json input: top-k, faces or output summaries",
    usage: [
      "<model.onnx|model.safetensors> --input FILE [--device cpu|wasm|npu] [--soc NAME] [--input-shape DIMS] [--top K] [--json]",
    ],
    positionals: [{ name: "model.onnx|model.safetensors" }],
    options: {
      input: {
        type: "string",
        value: "FILE",
        description: "the input: .png, .jpg/.jpeg, .npy or .json",
      },
      device: {
        type: "string",
        value: "cpu|wasm|npu",
        description: "where the model runs (default cpu); ops without a kernel there run on cpu",
        choices: ["cpu", "wasm", "npu"],
      },
      soc: {
        type: "string",
        value: "NAME",
        description: "the simulated product for --device npu (default Ascend910B)",
      },
      "input-shape": inputShape,
      top: {
        type: "string",
        value: "K",
        description: "classes shown for a classifier head (default 5)",
      },
      json,
    },
    details:
      "Images are resized (area averaging) to the model's input: BlazeFace (NHWC 128 or 256,\n" +
      "letterboxed, RGB in [-1, 1]) prints the faces in image pixels; a 1x28x28 input gets MNIST's\n" +
      "preprocessing (the digit centred in a 20x20 box); other image inputs get RGB or gray in [0, 1].\n" +
      ".npy and .json inputs are used as they are (reshaped to the input's shape).\n" +
      "A classifier head (one output of K values) prints the top-K classes with softmax probabilities.\n" +
      "A .safetensors model is one tsnpu quantize wrote: its int8 layers run as QuantConv2d.",
    examples: [
      "tsnpu run mnist-cnn.onnx --input digit.png --input-shape 1,1,28,28",
      "tsnpu run face_detection_front_128x128_barracuda.onnx --input astronaut.png --device wasm",
      "tsnpu run model.onnx --input x.npy --json",
      "tsnpu run mnist-int8.safetensors --input digit.png --device npu",
    ],
    load: () => import("./run.js"),
  },
  {
    name: "quantize",
    summary: "post-training int8 quantization of an ONNX model, calibrated on a folder of images",
    usage: [
      "<model.onnx> --calib DIR -o FILE [--method minmax|percentile|mse] [--percentile P] [--symmetric] [--held-out FILE] [--input-shape DIMS] [--json]",
    ],
    positionals: [{ name: "model.onnx" }],
    options: {
      calib: {
        type: "string",
        value: "DIR",
        description: "a folder of .png/.jpg/.jpeg images the model's input is calibrated on",
      },
      output: {
        type: "string",
        short: "o",
        value: "FILE",
        description: "where the quantized model is written (safetensors)",
      },
      method: {
        type: "string",
        value: "minmax|percentile|mse",
        description: "how activation ranges are chosen (default minmax)",
        choices: ["minmax", "percentile", "mse"],
      },
      percentile: {
        type: "string",
        value: "P",
        description:
          "the percentile of |activation| kept with --method percentile, in (0, 100] (default 99.99)",
      },
      symmetric: {
        type: "boolean",
        description: "symmetric activations (zero point 0; default asymmetric)",
      },
      "held-out": {
        type: "string",
        value: "FILE",
        description:
          "an input kept out of calibration (.png, .jpg/.jpeg, .npy or .json): the report's cosine and error columns",
      },
      "input-shape": inputShape,
      json: { type: "boolean", description: "print the report as JSON instead of a table" },
    },
    details:
      "Each image is preprocessed to the model's input as `tsnpu run` does and is one calibration\n" +
      "batch; each eligible conv becomes npu_quantize + QuantConv2d (int8 in, float16 out). Prints\n" +
      "the quantization report (per layer: scales, zero points, the layers kept in float16 and\n" +
      "why; with --held-out, the cosine and max error of each int8 layer against the float layer\n" +
      "on that input, which calibration did not see) and writes the quantized model as\n" +
      "safetensors (loadQuantized from tsnpu/quantization reads it; tsnpu run runs it).\n" +
      "Progress is drawn on stderr when it is a terminal.",
    examples: [
      "tsnpu quantize mnist-cnn.onnx --calib digits --input-shape 1,1,28,28 -o mnist-int8.safetensors",
      "tsnpu quantize mnist-cnn.onnx --calib digits --input-shape 1,1,28,28 --method mse -o out.safetensors",
      "tsnpu quantize mnist-cnn.onnx --calib digits --input-shape 1,1,28,28 --method percentile --percentile 99.9 --symmetric --held-out digit.png --json -o out.safetensors",
    ],
    load: () => import("./quantize.js"),
  },
  {
    name: "bench",
    summary: "QuantConv2d timed on cpu and wasm (1 and 2 threads), with the NPU's modelled time",
    usage: ["[--shape S] [--rounds N] [--json] [--svg FILE]"],
    positionals: [],
    options: {
      shape: {
        ...shape,
        description: `one problem (default: five ResNet-style layers): ${SHAPE_FORMAT}`,
      },
      rounds: {
        type: "string",
        value: "N",
        description: "interleaved rounds per shape (default 5); the median is shown",
      },
      json,
      svg: {
        type: "string",
        value: "FILE",
        description: "also write a bar chart of the throughput (GMAC/s) as SVG",
      },
    },
    details:
      "Each round calls every backend once in turn (compiled, output read back), so a busy machine\n" +
      "slows them alike; the table shows medians. The npu column is the simulated Ascend910B's\n" +
      "modelled time, not a measurement. Progress is drawn on stderr when it is a terminal.",
    examples: [
      "tsnpu bench",
      "tsnpu bench --shape 1,64,56,56,64,3,1,1 --rounds 9 --svg bench.svg",
      "tsnpu bench --json",
    ],
    load: () => import("./bench.js"),
  },
];
