// Loading the <model> argument of run, profile and check: an ONNX file, or the safetensors file
// `tsnpu quantize` writes (loadQuantized: the int8 network, its float layers in float16).
import { existsSync, readFileSync } from "node:fs";
import { extname } from "node:path";
import { type LoadOptions, OnnxError, OnnxModule, loadOnnx } from "tsnpu/onnx";
import { loadQuantized } from "tsnpu/quantization";
import { UsageError } from "./cli/errors.js";
import { parseDims } from "./shape.js";

/** A quantized ONNX model as `tsnpu quantize` wrote it (its input shapes are fixed). */
function loadSafetensors(file: string): OnnxModule {
  let model: unknown;
  try {
    model = loadQuantized(new Uint8Array(readFileSync(file)));
  } catch (e) {
    throw new UsageError(
      `<model> ${file}: not a quantized model (${(e as Error).message})`,
      "a .safetensors file written by tsnpu quantize (or saveQuantized of an ONNX model)",
    );
  }
  if (!(model instanceof OnnxModule))
    throw new UsageError(
      `<model> ${file} holds a quantized nn.Sequential, not an ONNX model`,
      "the CLI runs ONNX models and what tsnpu quantize writes from them",
    );
  return model;
}

/**
 * Loads the model; an input with symbolic dims (a batch) takes its shape from --input-shape. The
 * loader names that input in its error, which is the only place the name is known before a load.
 */
export async function loadModel(
  file: string,
  inputShape: string | boolean | undefined,
  options: LoadOptions = {},
): Promise<OnnxModule> {
  if (!existsSync(file)) throw new UsageError(`<model> ${file} does not exist`);
  if (extname(file).toLowerCase() === ".safetensors") return loadSafetensors(file);
  try {
    return await loadOnnx(file, options);
  } catch (e) {
    const symbolic =
      e instanceof OnnxError ? /input "(.+?)" has symbolic dims/.exec(e.message) : null;
    if (!symbolic) throw e;
    if (inputShape === undefined)
      throw new UsageError(
        (e as Error).message,
        "give the shape with --input-shape, e.g. --input-shape 1,1,28,28",
      );
    return await loadOnnx(file, {
      ...options,
      inputShapes: { [symbolic[1]!]: parseDims(String(inputShape), "--input-shape") },
    });
  }
}
