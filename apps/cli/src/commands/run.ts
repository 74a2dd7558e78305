// tsnpu run <model.onnx> --input FILE: loads the model, feeds the input, prints the outputs
// (faces for BlazeFace, top-k for a classifier, else a summary per output).
import { basename } from "node:path";
import * as torch from "tsnpu";
import { UsageError } from "../cli/errors.js";
import { integerOption } from "../cli/numbers.js";
import type { CommandRun } from "../cli/spec.js";
import { loadModel } from "../model.js";
import { socsFrom } from "../socs.js";
import { type DeviceKind, startDevice, stopDevice } from "../run/device.js";
import { feed } from "../run/feed.js";
import { INPUT_FORMATS, readInput } from "../run/input.js";
import {
  type Output,
  facesReport,
  formatFaces,
  formatSummary,
  formatTopK,
  isClassifier,
  summarize,
  topK,
} from "../run/print.js";

export const run: CommandRun = async ({ values, positionals }, io) => {
  const file = positionals[0]!;
  if (typeof values.input !== "string")
    throw new UsageError("--input is required", `a ${INPUT_FORMATS} file`);
  const input = readInput(values.input);
  const kind = (values.device ?? "cpu") as DeviceKind;
  if (values.soc !== undefined && kind !== "npu")
    throw new UsageError(
      "--soc picks the product of --device npu",
      "add --device npu, or drop --soc",
    );
  if (values.soc === "all")
    throw new UsageError(
      "run runs on one product: --soc all is for check, profile and verify",
      "e.g. --soc Ascend310P",
    );
  const [soc] = socsFrom(values.soc ?? "Ascend910B");
  const k = integerOption(values.top, "--top", { min: 1, max: 10_000, fallback: 5 });
  const model = await loadModel(file, values["input-shape"]);
  if (model.inputSpecs.length !== 1)
    throw new UsageError(
      `${basename(file)} has ${model.inputSpecs.length} inputs; run feeds models with one`,
    );
  const fed = feed(input, model.inputSpecs[0]!.shape, model.outputNames.length);
  const device = await startDevice(kind, soc!);
  try {
    model.to(device);
    const start = performance.now();
    // A quantized model (.safetensors) takes float16 input.
    const results = model.run(fed.tensor.to(model.inputSpecs[0]!.dtype).to(device));
    const outputs: Output[] = results.map((t, i) => ({
      name: model.outputNames[i]!,
      shape: [...t.shape],
      values: t.to(torch.float32).cpu().toTypedArray() as Float32Array,
    }));
    const ms = performance.now() - start;
    const where = `${basename(file)} on ${device}${kind === "npu" ? ` (${soc})` : ""}, ${ms.toFixed(1)} ms`;
    if (values.json) {
      const faces = fed.blazeFace ? facesReport(outputs, fed.blazeFace) : undefined;
      const top = !faces && isClassifier(outputs) ? topK(outputs[0]!, k) : undefined;
      io.out(
        JSON.stringify(
          { model: basename(file), device, ms, faces, top, outputs: outputs.map(summarize) },
          null,
          2,
        ),
      );
    } else if (fed.blazeFace) {
      io.out(
        `${where}\n${formatFaces(facesReport(outputs, fed.blazeFace), fed.blazeFace.config.name)}`,
      );
    } else if (isClassifier(outputs)) {
      io.out(`${where}\n${formatTopK(outputs[0]!, k, io.style)}`);
    } else {
      io.out(`${where}\n${formatSummary(outputs)}`);
    }
    return 0;
  } finally {
    stopDevice(kind);
  }
};
