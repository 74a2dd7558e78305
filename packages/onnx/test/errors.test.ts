// Bad models and bad calls: typed errors that say what and where.
import { ArgumentError, TsnpuError, float16, tensor, zeros } from "@tsnpu/tensor";
import { describe, expect, it } from "vitest";
import { OnnxError, OnnxUnsupportedOpsError, loadOnnx, supportedOps } from "../src/index.js";
import { buildModel } from "./helpers.js";

const relu = (inputShape: (number | string)[] = [1, 3]) =>
  buildModel({
    nodes: [{ op: "Relu", inputs: ["x"], outputs: ["y"] }],
    inputs: [{ name: "x", shape: inputShape }],
    outputs: ["y"],
  });

async function loadError(
  source: Parameters<typeof loadOnnx>[0],
  options?: Parameters<typeof loadOnnx>[1],
): Promise<OnnxError> {
  const error = await loadOnnx(source, options).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OnnxError);
  expect(error).toBeInstanceOf(TsnpuError);
  return error as OnnxError;
}

describe("unreadable files", () => {
  it("a truncated model says so, with the byte counts", async () => {
    const bytes = relu();
    const e = await loadError(bytes.subarray(0, bytes.length - 7));
    expect(e.message).toMatch(
      /^buffer: not a valid ONNX ModelProto \(\d+ bytes; truncated or not ONNX\): index out of range: \d+ \+ \d+ > \d+/,
    );
  });

  it("a PNG is not an ONNX model", async () => {
    const e = await loadError(new URL("./data/astronaut.png", import.meta.url));
    expect(e.message).toContain("not a valid ONNX ModelProto");
    expect(e.message).toContain("astronaut.png");
  });

  it("an empty buffer and a missing file", async () => {
    expect((await loadError(new Uint8Array(0))).message).toContain("the file is empty");
    expect((await loadError("/nonexistent/model.onnx")).message).toMatch(
      /^\/nonexistent\/model\.onnx: cannot read the model file/,
    );
  });

  it("external data is refused with the file it points to", async () => {
    const model = buildModel({
      nodes: [{ op: "Add", inputs: ["x", "w"], outputs: ["y"] }],
      inputs: [{ name: "x", shape: [2] }],
      outputs: ["y"],
      initializers: [{ name: "w", shape: [2], data: [] }],
    });
    // Re-encode with w's data moved to an external file.
    const { onnx } = (await import("onnx-proto")).default;
    const proto = onnx.ModelProto.decode(model);
    const w = proto.graph!.initializer![0]!;
    w.floatData = [];
    w.dataLocation = 1;
    w.externalData = [
      onnx.StringStringEntryProto.create({ key: "location", value: "weights.bin" }),
    ];
    const e = await loadError(onnx.ModelProto.encode(proto).finish());
    expect(e.message).toContain(
      'initializer "w": its data is stored in an external file ("weights.bin")',
    );
  });
});

describe("unsupported content", () => {
  it("lists every unsupported node in one error, with the supported set", async () => {
    const bytes = buildModel({
      nodes: [
        { op: "Erf", inputs: ["x"], outputs: ["a"], name: "gate" },
        { op: "Relu", inputs: ["a"], outputs: ["b"] },
        { op: "LogSoftmax", inputs: ["b"], outputs: ["c"], name: "probs" },
        { op: "FusedThing", inputs: ["c"], outputs: ["y"], name: "custom", domain: "com.example" },
      ],
      inputs: [{ name: "x", shape: [1, 4] }],
      outputs: ["y"],
      opset: 13,
    });
    const e = (await loadError(bytes)) as OnnxUnsupportedOpsError;
    expect(e).toBeInstanceOf(OnnxUnsupportedOpsError);
    expect(e.nodes).toEqual([
      { node: "gate", opType: "Erf", domain: "ai.onnx", opset: 13 },
      { node: "probs", opType: "LogSoftmax", domain: "ai.onnx", opset: 13 },
      { node: "custom", opType: "FusedThing", domain: "com.example", opset: 13 },
    ]);
    expect(e.message).toContain('node "gate": ai.onnx::Erf (opset 13)');
    expect(e.message).toContain('node "custom": com.example::FusedThing (opset 13)');
    expect(e.message).toContain(`supported ops (domain ai.onnx): ${supportedOps.join(", ")}`);
    expect(supportedOps).toContain("Conv");
  });

  it("an unsupported attribute value names the node and the attribute", async () => {
    const bytes = buildModel({
      nodes: [
        {
          op: "Pad",
          inputs: ["x", "pads"],
          outputs: ["y"],
          name: "reflect_pad",
          attrs: { mode: { s: "reflect" } },
        },
      ],
      inputs: [{ name: "x", shape: [1, 4] }],
      outputs: ["y"],
      initializers: [{ name: "pads", shape: [4], data: [0, 1, 0, 1], type: 7 }],
    });
    const e = await loadError(bytes);
    expect(e.message).toBe(
      'node "reflect_pad" (Pad): attribute mode = "reflect" is not supported (supported: constant (reflect, edge and wrap need ops tsnpu does not have yet))',
    );
  });

  it("a cubic Resize is refused naming the node and the attribute", async () => {
    const bytes = buildModel({
      nodes: [
        {
          op: "Resize",
          inputs: ["x", "", "s"],
          outputs: ["y"],
          name: "up",
          attrs: { mode: { s: "cubic" } },
        },
      ],
      inputs: [{ name: "x", shape: [1, 1, 1, 4] }],
      outputs: ["y"],
      initializers: [{ name: "s", shape: [4], data: [1, 1, 1, 1.5] }],
    });
    expect((await loadError(bytes)).message).toBe(
      'node "up" (Resize): attribute mode = "cubic" is not supported (supported: nearest or linear (cubic is not supported))',
    );
  });

  it("a meta function refusing a node becomes an OnnxError naming the node", async () => {
    const bytes = buildModel({
      nodes: [{ op: "Conv", inputs: ["x", "w"], outputs: ["y"], name: "bad_conv" }],
      inputs: [{ name: "x", shape: [1, 3, 4, 4] }],
      outputs: ["y"],
      initializers: [{ name: "w", shape: [2, 5, 1, 1], data: Array(10).fill(1) }],
    });
    const e = await loadError(bytes);
    expect(e.message).toMatch(/^node "bad_conv" \(Conv\): conv2d: input must be 5 channels/);
    expect(e.cause).toBeInstanceOf(ArgumentError);
  });

  it("opsets outside 7..21 are refused", async () => {
    const bytes = buildModel({
      nodes: [{ op: "Relu", inputs: ["x"], outputs: ["y"] }],
      inputs: [{ name: "x", shape: [2] }],
      outputs: ["y"],
      opset: 6,
    });
    expect((await loadError(bytes)).message).toBe(
      "the model uses ai.onnx opset 6; tsnpu imports opsets 7 to 21",
    );
  });
});

describe("input shapes", () => {
  it("symbolic dims need inputShapes; the error names the input and its dims", async () => {
    const e = await loadError(relu(["batch", 3]));
    expect(e.message).toBe(
      'input "x" has symbolic dims [batch, 3] ("batch"): pass inputShapes: { "x": [...] } to fix them (static graphs)',
    );
    const model = await loadOnnx(relu(["batch", 3]), { inputShapes: { x: [4, 3] } });
    expect(model.inputSpecs[0]!.shape).toEqual([4, 3]);
  });

  it("inputShapes must fit the declared dims and name real inputs", async () => {
    expect((await loadError(relu(["batch", 3]), { inputShapes: { x: [4, 5] } })).message).toContain(
      'inputShapes["x"] = [4, 5] does not fit the input\'s declared shape [batch, 3]',
    );
    expect((await loadError(relu(), { inputShapes: { y: [1] } })).message).toContain(
      'inputShapes names "y", which the model has no input for',
    );
  });

  it("forward names the input given the wrong shape, dtype or count", async () => {
    const model = await loadOnnx(relu());
    expect(() => model.forward(zeros([2, 3]))).toThrow(
      new ArgumentError(
        "OnnxModule.forward",
        'input "x"',
        "a float32 tensor of shape [1, 3]",
        "a float32 tensor of shape [2, 3]",
      ),
    );
    expect(() => model.forward(zeros([1, 3], { dtype: float16 }))).toThrow(
      'OnnxModule.forward: input "x" must be a float32 tensor of shape [1, 3], but got a float16 tensor of shape [1, 3]',
    );
    expect(() => model.forward()).toThrow(
      'OnnxModule.forward: inputs must be 1 tensor(s) ("x"), but got 0',
    );
    expect(model.forward(tensor([[-1, 0.5, 2]])).tolist()).toEqual([[0, 0.5, 2]]);
  });
});
