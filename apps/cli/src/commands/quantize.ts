// tsnpu quantize <model.onnx> --calib DIR -o FILE: post-training int8 quantization of an ONNX
// model on a folder of images (preprocessed as `run` does), the report table, the safetensors file.
import { readdirSync, statSync, writeFileSync } from "node:fs";
import { basename, extname, join } from "node:path";
import { type ActivationMethod, quantize, saveQuantized } from "tsnpu/quantization";
import { UsageError } from "../cli/errors.js";
import type { CommandRun } from "../cli/spec.js";
import { loadModel } from "../model.js";
import { feed } from "../run/feed.js";
import { readInput } from "../run/input.js";

const IMAGE_EXTENSIONS = [".png", ".jpg", ".jpeg"];

/** The images of the --calib folder, sorted by name; a missing folder or no image is a usage error. */
function calibrationImages(dir: string): string[] {
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new Error("not a folder");
    names = readdirSync(dir);
  } catch (e) {
    throw new UsageError(`--calib ${dir}: cannot read the folder (${(e as Error).message})`);
  }
  const images = names.filter((n) => IMAGE_EXTENSIONS.includes(extname(n).toLowerCase())).sort();
  if (images.length === 0)
    throw new UsageError(
      `--calib ${dir} holds no images`,
      "give a folder of .png or .jpg/.jpeg images like the model's inputs",
    );
  return images.map((n) => join(dir, n));
}

export const run: CommandRun = async ({ values, positionals }, io) => {
  const file = positionals[0]!;
  if (typeof values.calib !== "string")
    throw new UsageError("--calib is required", "a folder of .png or .jpg/.jpeg images");
  if (typeof values.output !== "string")
    throw new UsageError(
      "-o/--output is required",
      "the file to write, e.g. -o model-int8.safetensors",
    );
  const images = calibrationImages(values.calib);
  const model = await loadModel(file, values["input-shape"]);
  if (model.inputSpecs.length !== 1)
    throw new UsageError(
      `${basename(file)} has ${model.inputSpecs.length} inputs; quantize calibrates models with one`,
    );
  const shape = model.inputSpecs[0]!.shape;
  const batches = images.map(
    (image) => feed(readInput(image), shape, model.outputNames.length).tensor,
  );
  const method = (values.method ?? "minmax") as ActivationMethod;
  const { model: quantized, report } = await quantize(model, batches, {
    activation: method,
    onProgress: ({ batchesDone }) =>
      io.progress(
        batchesDone,
        images.length,
        `calibrating on ${basename(images[batchesDone - 1]!)}`,
      ),
  });
  io.clearProgress();
  writeFileSync(values.output, saveQuantized(quantized));
  io.out(
    `${basename(file)} quantized (${method}) on ${images.length} image(s) from ${values.calib}\n${report.toString()}\nwrote ${values.output}`,
  );
  return 0;
};
