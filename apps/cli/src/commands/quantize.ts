// tsnpu quantize <model.onnx> --calib DIR -o FILE: post-training int8 quantization of an ONNX
// model on a folder of images (preprocessed as `run` does), the report table (or JSON), the
// safetensors file. --held-out FILE is an input calibration did not see, for the report's
// accuracy columns.
import { readdirSync, statSync, writeFileSync } from "node:fs";
import { basename, extname, join, resolve } from "node:path";
import { type ActivationMethod, quantize, saveQuantized } from "tsnpu/quantization";
import { UsageError } from "../cli/errors.js";
import type { CommandRun, Values } from "../cli/spec.js";
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

/** --percentile: a number in (0, 100], only with --method percentile. */
function percentileOf(values: Values): number | undefined {
  if (values.percentile === undefined) return undefined;
  if (values.method !== "percentile")
    throw new UsageError(
      "--percentile applies to --method percentile only",
      "add --method percentile, or drop --percentile",
    );
  const text = String(values.percentile);
  const p = Number(text);
  if (!/^\d*\.?\d+(e[-+]?\d+)?$/i.test(text) || !(p > 0 && p <= 100))
    throw new UsageError(
      `--percentile must be a number in (0, 100], got "${text}"`,
      "e.g. --percentile 99.99 keeps all but the largest 0.01% of |activation|",
    );
  return p;
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
  const percentile = percentileOf(values);
  const images = calibrationImages(values.calib);
  const heldOut = typeof values["held-out"] === "string" ? values["held-out"] : null;
  if (heldOut !== null && images.some((image) => resolve(image) === resolve(heldOut)))
    throw new UsageError(
      `--held-out ${heldOut} is one of the --calib images`,
      "the held-out input must be one calibration did not see: move it out of the folder",
    );
  const heldOutInput = heldOut === null ? null : readInput(heldOut, "--held-out");
  const model = await loadModel(file, values["input-shape"]);
  if (model.inputSpecs.length !== 1)
    throw new UsageError(
      `${basename(file)} has ${model.inputSpecs.length} inputs; quantize calibrates models with one`,
    );
  const shape = model.inputSpecs[0]!.shape;
  const prepare = (input: ReturnType<typeof readInput>) =>
    feed(input, shape, model.outputNames.length).tensor;
  const batches = images.map((image) => prepare(readInput(image)));
  const method = (values.method ?? "minmax") as ActivationMethod;
  const { model: quantized, report } = await quantize(model, batches, {
    activation: method,
    ...(percentile === undefined ? {} : { percentile }),
    symmetric: values.symmetric === true,
    ...(heldOutInput ? { heldOut: prepare(heldOutInput) } : {}),
    onProgress: ({ batchesDone }) =>
      io.progress(
        batchesDone,
        images.length,
        `calibrating on ${basename(images[batchesDone - 1]!)}`,
      ),
  });
  io.clearProgress();
  writeFileSync(values.output, saveQuantized(quantized));
  if (values.json) {
    io.out(
      JSON.stringify(
        {
          model: basename(file),
          calibration: images.map((i) => basename(i)),
          heldOut,
          output: values.output,
          report: report.toJSON(),
        },
        null,
        2,
      ),
    );
    return 0;
  }
  const accuracy = heldOut
    ? `cosine and max abs err on the held-out ${basename(heldOut)}`
    : "no --held-out input: no accuracy columns";
  io.out(
    `${basename(file)} quantized (${method}${percentile === undefined ? "" : ` ${percentile}`}) on ${images.length} image(s) from ${values.calib}; ${accuracy}\n${report.toString()}\nwrote ${values.output}`,
  );
  return 0;
};
