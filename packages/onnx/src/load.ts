// loadOnnx: bytes, a file path (Node) or a URL (fetch) -> OnnxModule.

import "@tsnpu/backend-cpu"; // constant folding at load runs on the cpu kernels
import { OnnxError } from "./errors.js";
import { lowerGraph, type LoadOptions } from "./graph.js";
import { OnnxModule } from "./module.js";
import { decodeModel } from "./proto.js";

export type OnnxSource = Uint8Array | ArrayBuffer | string | URL;

async function readSource(source: OnnxSource): Promise<{ bytes: Uint8Array; where: string }> {
  if (source instanceof Uint8Array) return { bytes: source, where: "buffer" };
  if (source instanceof ArrayBuffer) return { bytes: new Uint8Array(source), where: "buffer" };
  const isUrl = source instanceof URL || /^(https?|data|blob):/i.test(source);
  if (isUrl && !(source instanceof URL && source.protocol === "file:")) {
    const where = String(source);
    const response = await fetch(source);
    if (!response.ok)
      throw new OnnxError(
        `${where}: fetch failed with HTTP ${response.status} ${response.statusText}`,
      );
    return { bytes: new Uint8Array(await response.arrayBuffer()), where };
  }
  // A file path or file: URL; node:fs is imported here only so browsers never load it.
  const { readFile } = await import("node:fs/promises");
  const where = source instanceof URL ? source.pathname : source;
  try {
    return { bytes: new Uint8Array(await readFile(source)), where };
  } catch (e) {
    throw new OnnxError(
      `${where}: cannot read the model file (${e instanceof Error ? e.message : String(e)})`,
    );
  }
}

/**
 * Loads an ONNX model as a Module. Inputs with symbolic dims need `inputShapes`.
 *
 * @example
 * const model = await loadOnnx("face_detection_front_128x128.onnx");
 * const [scores, boxes] = model.run(image);
 */
export async function loadOnnx(source: OnnxSource, options: LoadOptions = {}): Promise<OnnxModule> {
  const { bytes, where } = await readSource(source);
  return new OnnxModule(lowerGraph(decodeModel(bytes, where), options));
}
