// Loading the <model.onnx> argument of run, profile and check.
import { existsSync } from "node:fs";
import { type LoadOptions, OnnxError, type OnnxModule, loadOnnx } from "tsnpu/onnx";
import { UsageError } from "./cli/errors.js";
import { parseDims } from "./shape.js";

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
