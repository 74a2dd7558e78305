// Every corpus model against onnxruntime-web, eager and compiled, float32 (within 1e-5 x
// max|reference|) and float16 (within 1e-2), on cpu and on wasm. On wasm every op runs on its
// wasm kernel (the fallback refuses).
import { compile } from "@tsnpu/nn";
import { ready } from "@tsnpu/backend-wasm";
import { getBackend, setFallback, type Tensor } from "@tsnpu/tensor";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadOnnx } from "../src/index.js";
import { corpus, toFloat16, type CorpusCase } from "./corpus.js";
import { buildModel, inputTensor, maxErrors, runOrt, seeded, values } from "./helpers.js";

async function compare(c: CorpusCase, tolerance: number, device: "cpu" | "wasm" = "cpu") {
  if (device === "wasm") setFallback("wasm", "refuse");
  const bytes = buildModel(c);
  const model = (await loadOnnx(bytes)).to(device);
  const data = c.inputs.map((v, i) =>
    seeded(
      v.shape.reduce<number>((a, d) => a * (d as number), 1),
      100 + i,
    ),
  );
  const outputs = c.outputs.map((o) => (typeof o === "string" ? o : o.name));
  const feeds = Object.fromEntries(
    c.inputs.map((v, i) => [v.name, { data: data[i]!, shape: v.shape as number[], type: v.type }]),
  );
  const want = await runOrt(bytes, feeds, outputs);
  const inputs = c.inputs.map((v, i) => inputTensor(v, data[i]!).to(device));
  const eager = model.run(...inputs);
  const compiledModel = compile(model, { backend: getBackend(device) });
  compiledModel(...inputs); // traces
  const replayed = compiledModel(...inputs) as unknown as Tensor | Tensor[];
  const compiled = Array.isArray(replayed) ? replayed : [replayed];
  for (const [mode, got] of [
    ["eager", eager],
    ["compiled", compiled],
  ] as const) {
    expect(got.length).toBe(want.length);
    got.forEach((t, i) => {
      expect(t.shape).toEqual(want[i]!.shape);
      const { maxAbsError, maxAbsRef } = maxErrors(values(t), want[i]!.data);
      expect(maxAbsError, `${mode} output ${outputs[i]}`).toBeLessThanOrEqual(
        tolerance * Math.max(1, maxAbsRef),
      );
    });
  }
}

describe("op corpus vs onnxruntime, float32 (cpu)", () => {
  it.each(corpus.map((c) => [c.name, c] as const))("%s", (_name, c) => compare(c, 1e-5));
});

describe("op corpus vs onnxruntime, float16 (cpu)", () => {
  const cases = corpus.filter((c) => !c.float32Only).map(toFloat16);
  it.each(cases.map((c) => [c.name, c] as const))("%s", (_name, c) => compare(c, 1e-2));
});

describe("op corpus vs onnxruntime on wasm", () => {
  beforeAll(async () => {
    await ready({ numThreads: 1 });
  }, 60_000);
  afterAll(() => setFallback("wasm", "refuse"));
  it.each(corpus.map((c) => [c.name, c] as const))("%s", (_name, c) => compare(c, 1e-5, "wasm"));
  const cases = corpus.filter((c) => !c.float32Only).map(toFloat16);
  it.each(cases.map((c) => [c.name, c] as const))("%s", (_name, c) => compare(c, 1e-2, "wasm"));
});
