// The --input of `tsnpu run`: an image (PNG via pngjs, JPEG via jpeg-js, decoded to RGBA), a
// NumPy .npy array (npyjs) or JSON (nested arrays, or { "shape": [...], "data": [...] }).
import { readFileSync } from "node:fs";
import { extname } from "node:path";
import jpeg from "jpeg-js";
import { parse as parseNpy } from "npyjs";
import pngjs from "pngjs";
import type { RasterImage } from "@tsnpu/models";
import { UsageError } from "../cli/errors.js";

export type Input =
  | { readonly kind: "image"; readonly image: RasterImage }
  | { readonly kind: "array"; readonly data: Float32Array; readonly shape: readonly number[] };

export const INPUT_FORMATS = ".png, .jpg/.jpeg, .npy or .json";

function readBytes(file: string, option: string): Buffer {
  try {
    return readFileSync(file);
  } catch (e) {
    throw new UsageError(`${option}: cannot read ${file} (${(e as Error).message})`);
  }
}

/** Nested arrays -> values and shape; ragged or non-numeric input is refused. */
function fromNested(value: unknown, where: string): { data: Float32Array; shape: number[] } {
  const shape: number[] = [];
  for (let v = value; Array.isArray(v); v = v[0]) shape.push(v.length);
  const flat = (value as unknown[]).flat(Number.POSITIVE_INFINITY as 1);
  const count = shape.reduce((a, b) => a * b, 1);
  if (flat.length !== count || flat.some((v) => typeof v !== "number"))
    throw new UsageError(`${where}: expected a rectangular array of numbers`);
  return { data: Float32Array.from(flat as number[]), shape };
}

function fromJson(text: string, where: string): Input {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${where}: not valid JSON (${(e as Error).message})`);
  }
  if (Array.isArray(value)) return { kind: "array", ...fromNested(value, where) };
  const { shape, data } = (value ?? {}) as { shape?: unknown; data?: unknown };
  if (!Array.isArray(shape) || !Array.isArray(data))
    throw new UsageError(`${where}: expected nested arrays or { "shape": [...], "data": [...] }`);
  const flat = fromNested(data, where).data;
  if (flat.length !== shape.reduce((a: number, b: number) => a * b, 1))
    throw new UsageError(
      `${where}: shape [${shape.join(", ")}] does not hold ${flat.length} values`,
    );
  return { kind: "array", data: flat, shape: shape as number[] };
}

/** Reads `file`; `option` (--input, --held-out) names it in errors. */
export function readInput(file: string, option = "--input"): Input {
  const ext = extname(file).toLowerCase();
  if (![".png", ".jpg", ".jpeg", ".npy", ".json"].includes(ext))
    throw new UsageError(`${option} must be a ${INPUT_FORMATS} file, got "${file}"`);
  const bytes = readBytes(file, option);
  const where = `${option} ${file}`;
  try {
    if (ext === ".png") {
      const png = pngjs.PNG.sync.read(bytes);
      return { kind: "image", image: { data: png.data, width: png.width, height: png.height } };
    }
    if (ext === ".jpg" || ext === ".jpeg") {
      const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true });
      return { kind: "image", image: { data: img.data, width: img.width, height: img.height } };
    }
    if (ext === ".npy") {
      const npy = parseNpy(new Uint8Array(bytes).buffer);
      const values = npy.data as unknown as ArrayLike<number | bigint>;
      return { kind: "array", data: Float32Array.from(values, Number), shape: npy.shape };
    }
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`${where}: cannot decode it (${(e as Error).message})`);
  }
  return fromJson(bytes.toString("utf8"), where);
}
