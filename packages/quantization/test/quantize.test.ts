import "@tsnpu/backend-cpu";
import { Conv2d, Flatten, Linear, ReLU, Sequential } from "@tsnpu/nn";
import { ArgumentError, dtypes, manualSeed, rand, randn, tensor, type Tensor } from "@tsnpu/tensor";
import { beforeEach, describe, expect, it } from "vitest";
import {
  FoldedBatchNorm2d,
  QuantizedConv2d,
  loadQuantized,
  quantize,
  saveQuantized,
} from "../src/index.js";
import { quantizeWeights } from "../src/layer.js";
import { onnxLayers } from "../src/onnx-model.js";
import { asymmetricPadOnnx, batches, sharedInputOnnx, smallCnn } from "./models.js";

const { float16, float32, int32, int64, int8 } = dtypes;

const floats = (t: Tensor) => t.to(float32).toTypedArray() as Float32Array;
const bits = (t: Tensor) => [...t.toTypedArray()].map(String).join();

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  a.forEach((x, i) => {
    dot += x * b[i]!;
    na += x * x;
    nb += b[i]! * b[i]!;
  });
  return dot / Math.sqrt(na * nb);
}

beforeEach(() => manualSeed(7));

describe("quantize on @tsnpu/nn layers", () => {
  it("replaces eligible convs (BatchNorm folded) and keeps the depthwise one in float16, with the reason", async () => {
    const float = smallCnn();
    const heldOut = randn([2, 3, 8, 8]);
    const { model, report } = await quantize(float, batches(4, [2, 3, 8, 8]), { heldOut });
    const layers = model.layers;
    expect(layers[0]).toBeInstanceOf(QuantizedConv2d);
    expect(layers[1]).toBeInstanceOf(FoldedBatchNorm2d); // paths stay as in the float model
    expect((layers[3] as Sequential).layers[0]).toBeInstanceOf(QuantizedConv2d);
    expect(layers[4]).toBeInstanceOf(Conv2d);
    expect((layers[4] as Conv2d).weight.data.dtype).toBe(float16);
    expect(report.layers.map((l) => [l.name, l.status])).toEqual([
      ["0", "int8"],
      ["3.0", "int8"],
      ["4", "float16"],
    ]);
    expect(report.layers[2]!.reason).toMatch(/groups/);
    for (const l of report.quantized) {
      expect(l.cosine).toBeGreaterThan(0.99);
      expect(l.maxAbsError).toBeGreaterThan(0); // int8 is not exact: the comparison ran
    }
    expect(report.worst(1)[0]!.name).toBe(
      [...report.quantized].sort((a, b) => a.cosine! - b.cosine!)[0]!.name,
    );
    const want = floats(float.forward(heldOut));
    const got = floats(model.forward(heldOut.to(float16)));
    expect(cosine(want, got)).toBeGreaterThan(0.99);
    expect(report.toString()).toMatch(/int8: 2 of 3 conv layers/);
    expect(report.toString()).toMatch(/worst: /);
    expect(JSON.parse(JSON.stringify(report)).layers).toHaveLength(3);
  });

  it("puts z_x into offset_x and the bias, so padded borders stay right for all-positive inputs", async () => {
    const conv = new Conv2d(4, 6, 3, { padding: 2, dilation: 2 });
    const data = batches(3, [1, 4, 9, 9]).map((t) => t.abs().add(1)); // x in [1, ...): z_x = -128
    const { model, report } = await quantize(new Sequential(conv), data);
    expect(report.layers[0]!.inputZeroPoint).toBe(-128);
    const q = model.layers[0] as QuantizedConv2d;
    expect(q.offsetX).toBe(-128);
    const x = data[0]!;
    const want = floats(conv.forward(x));
    const got = floats(q.forward(x.to(float16)));
    const maxRef = want.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    got.forEach((v, i) => expect(Math.abs(v - want[i]!)).toBeLessThan(0.05 * maxRef));
  });

  it("symmetric gives z_x = 0; percentile and mse clip inside the min/max range", async () => {
    const data = batches(3, [1, 3, 8, 8]);
    const scaleOf = async (o: object) =>
      (await quantize(new Sequential(new Conv2d(3, 4, 3)), data, o)).report.layers[0]!;
    const minmax = await scaleOf({ symmetric: true });
    expect(minmax.inputZeroPoint).toBe(0);
    const percentile = await scaleOf({ symmetric: true, activation: "percentile", percentile: 99 });
    const mse = await scaleOf({ symmetric: true, activation: "mse" });
    expect(percentile.inputScale).toBeLessThan(minmax.inputScale!);
    expect(mse.inputScale).toBeLessThanOrEqual(minmax.inputScale!);
    expect(mse.inputScale).toBeGreaterThan(0);
    const asym = await scaleOf({ activation: "percentile" });
    expect(asym.inputZeroPoint).toBeGreaterThanOrEqual(-128);
    expect(asym.inputZeroPoint).toBeLessThanOrEqual(127);
  });

  it("quantizes weights per output channel, an all-zero channel with s_w = 1, with torch_npu's dtypes", async () => {
    const conv = new Conv2d(2, 3, 1, { bias: false });
    conv.weight.data = tensor([0.5, -1, 0, 0, 0.005, 0.02]).reshape([3, 2, 1, 1]);
    const { model, report } = await quantize(new Sequential(conv), batches(1, [1, 2, 4, 4]));
    const q = model.layers[0] as QuantizedConv2d;
    expect([q.weight.data.dtype, q.scale.data.dtype, q.bias!.data.dtype]).toEqual([
      int8,
      int64,
      int32,
    ]);
    expect([...q.weight.data.toTypedArray()]).toEqual([64, -127, 0, 0, 32, 127]);
    expect(report.layers[0]!.weightScaleMax).toBe(1);
    expect(report.layers[0]!.weightScaleMin).toBe(Math.fround(0.02 / 127));
  });

  it("weights mse: per channel, the clip with the least squared error (never wider than max|W|)", async () => {
    const conv = new Conv2d(1024, 2, 1, { bias: false });
    // Heavy tails (cubed normals): a few large weights, most of them small.
    const heavy = Float32Array.from(floats(randn([2, 1024])), (v) => 0.01 * v ** 3);
    conv.weight.data = tensor(heavy).reshape([2, 1024, 1, 1]);
    const folded = {
      weight: floats(conv.weight.data),
      weightShape: [2, 1024, 1, 1] as const,
      bias: new Float32Array(2),
      stride: [1, 1] as [number, number],
      padding: [0, 0] as [number, number],
      dilation: [1, 1] as [number, number],
      groups: 1,
    };
    const squaredError = (method: "minmax" | "mse") => {
      const { weight, scales } = quantizeWeights(folded, method);
      return folded.weight.reduce((e, w, i) => e + (weight[i]! * scales[i >> 10]! - w) ** 2, 0);
    };
    // Clipping the few largest weights buys a finer step for all the others (at 8 bits only a
    // little: the clipped weights' error grows with the square of their excess).
    expect(squaredError("mse")).toBeLessThan(squaredError("minmax"));
    const [plain, searched] = [quantizeWeights(folded), quantizeWeights(folded, "mse")];
    for (const c of [0, 1]) expect(searched.scales[c]!).toBeLessThanOrEqual(plain.scales[c]!);
    const { report } = await quantize(new Sequential(conv), batches(1, [1, 1024, 2, 2]), {
      weights: "mse",
    });
    expect(report.layers[0]!.weightScaleMax).toBe(Math.max(...searched.scales));
    expect(report.toString()).toMatch(/weights mse/);
    await expect(
      quantize(new Sequential(conv), batches(1, [1, 1024, 2, 2]), { weights: "max" as never }),
    ).rejects.toThrow(/options\.weights/);
  });

  it("reports progress with the total when the calibration set has a length, without one for generators", async () => {
    const seen: unknown[] = [];
    const onProgress = (p: unknown) => seen.push(p);
    await quantize(new Sequential(new Conv2d(3, 4, 3)), batches(2, [1, 3, 6, 6]), { onProgress });
    async function* stream() {
      yield randn([1, 3, 6, 6]);
    }
    await quantize(new Sequential(new Conv2d(3, 4, 3)), stream(), { onProgress });
    expect(seen).toEqual([
      { batchesDone: 1, totalBatches: 2 },
      { batchesDone: 2, totalBatches: 2 },
      { batchesDone: 1, totalBatches: null },
    ]);
  });
});

describe("bad input", () => {
  const model = () => new Sequential(new Conv2d(3, 4, 3));
  const expectError = async (p: Promise<unknown>, argument: RegExp) => {
    const e = await p.then(
      () => null,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(ArgumentError);
    expect((e as Error).message).toMatch(argument);
  };
  it("names the calibration batch that has the wrong shape, dtype, NaN or Infinity", async () => {
    const good = randn([1, 3, 6, 6]);
    await expectError(
      quantize(model(), [good, randn([1, 3, 5, 6])]),
      /calibration\[1\].*shape \[N, 3, 6, 6\]/,
    );
    await expectError(
      quantize(model(), [randn([6, 6])]),
      /calibration\[0\] must be a batch the model accepts/,
    );
    // The model itself refuses it (4 channels for a 3-channel conv): still named.
    await expectError(
      quantize(model(), [randn([1, 4, 6, 6])]),
      /calibration\[0\] must be a batch the model accepts.*conv2d/,
    );
    await expectError(
      quantize(model(), [tensor([1, 2], { dtype: int32 })]),
      /calibration\[0\].*float32 or float16/,
    );
    const nan = rand([1, 3, 6, 6]).toTypedArray() as Float32Array;
    nan[5] = Number.NaN;
    await expectError(
      quantize(model(), [good, tensor(nan).reshape([1, 3, 6, 6])]),
      /calibration\[1\].*finite.*NaN at flat index 5/,
    );
    nan[5] = -Infinity;
    await expectError(quantize(model(), [tensor(nan).reshape([1, 3, 6, 6])]), /-Infinity/);
  });
  it("refuses an empty calibration set, a non-iterable and bad options", async () => {
    await expectError(quantize(model(), []), /calibration.*at least one input batch/);
    await expectError(quantize(model(), randn([1, 3, 6, 6]) as never), /calibration.*iterable/);
    await expectError(quantize(model(), [], { activation: "max" as never }), /options\.activation/);
    await expectError(quantize(model(), [], { percentile: 0 }), /options\.percentile/);
    await expectError(quantize(model(), [], { soc: "Ascend310" as never }), /options\.soc/);
    await expectError(quantize(new Linear(2, 2) as never, []), /model.*OnnxModule or a Sequential/);
  });
  it("keeps a conv with output W == 1 float16 on Ascend310P (a product limit), int8 elsewhere", async () => {
    const narrow = () => new Sequential(new Conv2d(3, 4, [1, 3]), new ReLU(), new Conv2d(4, 4, 1));
    const calibration = batches(2, [1, 3, 4, 3]);
    const p310 = await quantize(narrow(), calibration, { soc: "Ascend310P" });
    expect(p310.report.layers.map((l) => l.status)).toEqual(["float16", "float16"]);
    expect(p310.report.layers[0]!.reason).toMatch(/Ascend310P.*1 column wide.*w-out-1/);
    expect(p310.report.toString()).toMatch(/Ascend310P/);
    const a2 = await quantize(narrow(), calibration, { soc: "Ascend910B" });
    expect(a2.report.layers.map((l) => l.status)).toEqual(["int8", "int8"]);
    // Wider inputs give wider outputs: the rule reads the calibration batches' width.
    const wide = await quantize(narrow(), batches(2, [1, 3, 4, 5]), { soc: "Ascend310P" });
    expect(wide.report.layers.map((l) => l.status)).toEqual(["int8", "int8"]);
  });
  it("reports a model with no eligible conv instead of failing", async () => {
    const depthwise = new Sequential(new Conv2d(4, 4, 3, { groups: 4 }), new ReLU());
    const { model, report } = await quantize(depthwise, batches(1, [1, 4, 6, 6]));
    expect(report.quantized).toHaveLength(0);
    expect(report.note).toMatch(/no convolution is eligible/);
    expect(report.toString()).toMatch(/note: no convolution is eligible/);
    expect(model.forward(randn([1, 4, 6, 6]).to(float16)).dtype).toBe(float16);
    const none = await quantize(
      new Sequential(new Flatten(), new Linear(36, 2)),
      batches(1, [1, 1, 6, 6]),
    );
    expect(none.report.note).toMatch(/no convolution/);
  });
});

describe("OnnxModules", () => {
  it("folds BatchNormalization, shares one quantize step between convs reading one tensor, keeps depthwise float16", async () => {
    const float = await sharedInputOnnx();
    const heldOut = randn([1, 4, 8, 8]);
    const { model, report } = await quantize(float, batches(3, [1, 4, 8, 8]), { heldOut });
    const ops = model.graph.steps.map((s) => s.node.opType);
    expect(ops.filter((o) => o === "NpuQuantize")).toHaveLength(2); // x (shared by a and b), d
    expect(ops.filter((o) => o === "QuantConv2d")).toHaveLength(3);
    expect(ops).not.toContain("BatchNormalization");
    // The loader fused the BatchNormalization into conv a (its name says so).
    expect(report.layers.find((l) => l.name === "node_yb")!.sharesQuantizeWith).toBe(
      "node_ya+node_na",
    );
    expect(report.layers.find((l) => l.name === "node_d")!.reason).toMatch(/groups/);
    const want = floats(float.forward(heldOut));
    const got = floats(model.forward(heldOut.to(float16)));
    expect(cosine(want, got)).toBeGreaterThan(0.99);
    expect(model.toString()).toMatch(/NpuQuantize\("x::quantize"/);
  });
});

describe("asymmetric pads", () => {
  it("quantizes a conv ONNX pads asymmetrically: the int8 input padded with z_x, then QuantConv2d with padding 0", async () => {
    const float = await asymmetricPadOnnx();
    // Inputs in [0, 1) give z_x = -128: padding with anything but z_x would show.
    const positive = () => rand([1, 3, 8, 8]);
    const heldOut = positive();
    const { model, report } = await quantize(float, [positive(), positive()], { heldOut });
    const [layer] = report.quantized;
    expect(report.layers).toHaveLength(1);
    expect(layer!.cosine).toBeGreaterThan(0.99);
    const int8 = onnxLayers.get(model)!.get("head")!;
    expect(int8.prePad).toEqual([0, 1, 0, 1]);
    expect(int8.offsetX).toBe(-128);
    expect(int8.padding).toEqual([0, 0]);
    const want = floats(float.forward(heldOut));
    const got = floats(model.forward(heldOut.to(float16)));
    expect(got.length).toBe(want.length);
    expect(cosine(want, got)).toBeGreaterThan(0.99);
    // The pre-padding survives saving (a lost one would change the output's shape and bits).
    const x = positive().to(float16);
    expect(bits(loadQuantized(saveQuantized(model)).forward(x))).toBe(bits(model.forward(x)));
  });

  it("refuses a prePad that is not 4 integers >= 0, naming it", async () => {
    const { model } = await quantize(await asymmetricPadOnnx(), batches(1, [1, 3, 8, 8]));
    const int8 = onnxLayers.get(model)!.get("head")!;
    const tensors = {
      weight: int8.weight.data,
      scale: int8.scale.data,
      bias: int8.bias!.data,
      inputScale: int8.inputScale.data,
      inputZeroPoint: int8.inputZeroPoint.data,
    };
    const geometry = { stride: [2, 2], padding: [0, 0], dilation: [1, 1], groups: 1 } as const;
    for (const prePad of [
      [0, 1, 0],
      [0, -1, 0, 1],
      [0, 0.5, 0, 1],
    ])
      expect(() => new QuantizedConv2d({ ...geometry, prePad } as never, tensors)).toThrow(
        /QuantizedConv2d.*prePad.*4 integers >= 0/s,
      );
  });
});

describe("saveQuantized / loadQuantized", () => {
  it("round-trips an nn model to the same output bits, with torch_npu's keys and a graph header", async () => {
    const { model } = await quantize(smallCnn(), batches(2, [2, 3, 8, 8]));
    const bytes = saveQuantized(model);
    const header = JSON.parse(
      new TextDecoder().decode(
        bytes.subarray(8, 8 + Number(new DataView(bytes.buffer).getBigUint64(0, true))),
      ),
    );
    expect(header["0.weight"].dtype).toBe("I8");
    expect(header["0.scale"].dtype).toBe("I64");
    expect(header["0.bias"].dtype).toBe("I32");
    expect(header["0.input_scale"].dtype).toBe("F32");
    expect(header["0.input_zero_point"].dtype).toBe("I8");
    expect(header["7.weight"].dtype).toBe("F16");
    expect(JSON.parse(header.__metadata__["tsnpu.quantized"]).kind).toBe("nn");
    const loaded = loadQuantized(bytes) as Sequential;
    for (let i = 0; i < 3; i++) {
      const x = randn([2, 3, 8, 8]).to(float16);
      expect(bits(loaded.forward(x))).toBe(bits(model.forward(x)));
    }
    expect(saveQuantized(loaded)).toEqual(bytes);
  });

  it("round-trips an OnnxModule (float parts stored as the ONNX model) to the same output bits", async () => {
    const { model } = await quantize(await sharedInputOnnx(), batches(2, [1, 4, 8, 8]));
    const bytes = saveQuantized(model);
    const loaded = loadQuantized(bytes);
    const x = randn([1, 4, 8, 8]).to(float16);
    expect(bits(loaded.forward(x))).toBe(bits(model.forward(x)));
    expect(saveQuantized(loaded)).toEqual(bytes);
  });

  it("refuses bytes that are not a saved model", () => {
    expect(() => loadQuantized(new Uint8Array(4))).toThrow(ArgumentError);
    expect(() => loadQuantized(new Uint8Array(16))).toThrow(/safetensors|saveQuantized/);
  });
});
