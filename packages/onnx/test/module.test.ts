// OnnxModule as a Module: parameters, stateDict, toString, folding at load.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Module } from "@tsnpu/nn";
import { float32, tensor, type NestedList } from "@tsnpu/tensor";

const floats = (v: NestedList) => tensor(v, { dtype: float32 });
import { describe, expect, it } from "vitest";
import { loadOnnx } from "../src/index.js";
import { corpus } from "./corpus.js";
import { buildModel } from "./helpers.js";

const byName = (name: string) => buildModel(corpus.find((c) => c.name === name)!);

describe("OnnxModule", () => {
  it("is a Module whose parameters are the initializers the graph reads", async () => {
    const model = await loadOnnx(byName("Conv 3x3 pads 1"));
    expect(model).toBeInstanceOf(Module);
    expect(model.inputNames).toEqual(["x"]);
    expect(model.outputNames).toEqual(["y"]);
    const state = model.stateDict();
    expect(Object.keys(state)).toEqual(["w", "b"]);
    expect(state.w!.shape).toEqual([4, 3, 3, 3]);
  });

  it("loadStateDict replaces a weight and forward uses it", async () => {
    const model = await loadOnnx(byName("Add broadcast"));
    const x = floats([
      [
        [1, 2, 3, 4],
        [5, 6, 7, 8],
        [9, 10, 11, 12],
      ],
      [
        [0, 0, 0, 0],
        [0, 0, 0, 0],
        [0, 0, 0, 0],
      ],
    ]);
    model.loadStateDict({ c: floats([[100], [200], [300]]) });
    expect((model.forward(x).tolist() as number[][][])[1]).toEqual([
      [100, 100, 100, 100],
      [200, 200, 200, 200],
      [300, 300, 300, 300],
    ]);
  });

  it("folds shape subgraphs at load: only the Reshape remains", async () => {
    const model = await loadOnnx(
      byName("Shape -> Gather -> Unsqueeze -> Concat -> Reshape (folded at load)"),
    );
    const text = model.toString();
    expect(text).toContain('(0): Reshape("reshape_4") [2, 3, 4] -> [2, 12]');
    expect(text).not.toMatch(/Shape\(|Gather\(|Concat\(/);
    expect(model.parameters()).toHaveLength(0);
  });

  it("folds BatchNormalization into the Conv before it", async () => {
    const model = await loadOnnx(byName("Conv + BatchNormalization (folded)"));
    expect(model.toString()).toContain(
      '(0): Conv("conv_0+batchnormalization_1", pads=[1, 1, 1, 1]) [1, 3, 6, 6] -> [1, 4, 6, 6]',
    );
    expect(model.toString()).not.toContain("BatchNormalization(");
    expect(Object.keys(model.stateDict())).toEqual(["conv_0.folded_weight", "conv_0.folded_bias"]);
  });

  it("profile times every layer and returns the outputs", async () => {
    const model = await loadOnnx(byName("Conv + BatchNormalization (folded)"));
    const { outputs, layers } = model.profile(
      floats([...Array(108).keys()].map((i) => i / 100)).reshape([1, 3, 6, 6]),
    );
    expect(outputs[0]!.shape).toEqual([1, 4, 6, 6]);
    expect(layers.map((l) => [l.opType, l.node])).toEqual([
      ["Conv", "conv_0+batchnormalization_1"],
    ]);
    expect(layers[0]!.ms).toBeGreaterThanOrEqual(0);
  });

  it("toString lists inputs, outputs and one line per layer", async () => {
    const model = await loadOnnx(byName("Split opset 13 sizes"));
    expect(model.toString()).toBe(
      'OnnxModule(inputs: "x": float32[2, 5]; outputs: "y", "y2"; 0 parameters\n' +
        '  (0): Split("split_0", axis=1) [2, 5] -> [2, 2], [2, 3]\n)',
    );
    const outs = model.run(
      floats([
        [1, 2, 3, 4, 5],
        [6, 7, 8, 9, 10],
      ]),
    );
    expect(outs.map((t) => t.tolist())).toEqual([
      [
        [1, 2],
        [6, 7],
      ],
      [
        [3, 4, 5],
        [8, 9, 10],
      ],
    ]);
    expect(
      Array.isArray(
        model.forward(
          floats([
            [1, 2, 3, 4, 5],
            [6, 7, 8, 9, 10],
          ]),
        ),
      ),
    ).toBe(true);
  });

  it("loads from a Uint8Array, an ArrayBuffer, a data: URL and a file: URL", async () => {
    const bytes = byName("Relu");
    const copy = new Uint8Array(bytes).buffer; // (protobufjs gives a Buffer whose .buffer is a shared pool)
    const dataUrl = `data:application/octet-stream;base64,${Buffer.from(bytes).toString("base64")}`;
    const dir = mkdtempSync(join(tmpdir(), "tsnpu-onnx-"));
    const file = join(dir, "relu.onnx");
    writeFileSync(file, bytes);
    for (const source of [bytes, copy, dataUrl, pathToFileURL(file), file]) {
      const model = await loadOnnx(source);
      expect(
        model
          .forward(
            floats([
              [
                [-1, 2, -3, 4],
                [5, -6, 7, -8],
                [0, 0, 0, 0],
              ],
              [
                [1, 1, 1, 1],
                [2, 2, 2, 2],
                [-3, -3, -3, -3],
              ],
            ]),
          )
          .tolist(),
      ).toEqual([
        [
          [0, 2, 0, 4],
          [5, 0, 7, 0],
          [0, 0, 0, 0],
        ],
        [
          [1, 1, 1, 1],
          [2, 2, 2, 2],
          [0, 0, 0, 0],
        ],
      ]);
    }
  });
});
