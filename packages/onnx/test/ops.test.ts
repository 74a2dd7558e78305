// Every corpus model on tsnpu's cpu backend against onnxruntime-web.
import { describe, expect, it } from "vitest";
import { loadOnnx } from "../src/index.js";
import { corpus } from "./corpus.js";
import { buildModel, inputTensor, maxErrors, runOrt, seeded, values } from "./helpers.js";

describe("op corpus vs onnxruntime (cpu)", () => {
  it.each(corpus.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    const bytes = buildModel(c);
    const model = await loadOnnx(bytes);
    const data = c.inputs.map((v, i) => seeded(v.shape.reduce<number>((a, d) => a * (d as number), 1), 100 + i));
    const outputs = c.outputs.map((o) => (typeof o === "string" ? o : o.name));
    const want = await runOrt(bytes, Object.fromEntries(c.inputs.map((v, i) => [v.name, { data: data[i]!, shape: v.shape as number[] }])), outputs);
    const got = model.run(...c.inputs.map((v, i) => inputTensor(v, data[i]!)));
    expect(got.length).toBe(want.length);
    got.forEach((t, i) => {
      expect(t.shape).toEqual(want[i]!.shape);
      const { maxAbsError, maxAbsRef } = maxErrors(values(t), want[i]!.data);
      expect(maxAbsError, `output ${outputs[i]}`).toBeLessThanOrEqual(1e-5 * Math.max(1, maxAbsRef));
    });
  });
});
