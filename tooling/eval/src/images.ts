// The sample photos (images/, public domain / CC0, see images/README.md) decoded with pngjs and
// jpeg-js into RGBA rasters, and the crops, flips and rescales that widen the calibration set.
import { readFileSync, readdirSync } from "node:fs";
import { extname } from "node:path";
import jpeg from "jpeg-js";
import { PNG } from "pngjs";
import type { RasterImage } from "@tsnpu/models";

export const IMAGES_DIR = new URL("../images/", import.meta.url);

/** An RGBA raster made here (the transforms' results). */
export interface RgbaImage extends RasterImage {
  readonly data: Uint8ClampedArray;
}

export interface NamedImage {
  readonly name: string;
  readonly image: RasterImage;
}

/** An image file (PNG or JPEG) as RGBA. */
export function decodeImage(bytes: Uint8Array, name: string): RasterImage {
  const ext = extname(name).toLowerCase();
  if (ext === ".png") {
    const png = PNG.sync.read(Buffer.from(bytes));
    return { data: png.data, width: png.width, height: png.height };
  }
  if (ext === ".jpg" || ext === ".jpeg") {
    const { data, width, height } = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true });
    return { data, width, height };
  }
  throw new Error(`${name}: not a PNG or JPEG file`);
}

/** Every photo in images/, by file name. */
export function sampleImages(): NamedImage[] {
  return readdirSync(IMAGES_DIR)
    .filter((f) => /\.(png|jpe?g)$/i.test(f))
    .sort()
    .map((name) => ({ name, image: decodeImage(readFileSync(new URL(name, IMAGES_DIR)), name) }));
}

/** Copies `count` values of `from` starting at `start` into `to` at `at`. */
function copyValues(
  from: ArrayLike<number>,
  start: number,
  to: Uint8ClampedArray,
  at: number,
  count: number,
): void {
  for (let i = 0; i < count; i++) to[at + i] = from[start + i]!;
}

/** The rectangle [x, y, x + width) x [y, y + height) of an RGBA image. */
export function crop(
  image: RasterImage,
  x: number,
  y: number,
  width: number,
  height: number,
): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let row = 0; row < height; row++) {
    copyValues(image.data, ((y + row) * image.width + x) * 4, data, row * width * 4, width * 4);
  }
  return { data, width, height };
}

/** The image mirrored left-right. */
export function flipX(image: RasterImage): RgbaImage {
  const { width, height } = image;
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      for (let c = 0; c < 4; c++)
        data[(y * width + x) * 4 + c] = image.data[(y * width + (width - 1 - x)) * 4 + c]!;
  return { data, width, height };
}

/** The image centred on an opaque black canvas `factor` times larger (a zoomed-out view). */
export function zoomOut(image: RasterImage, factor: number): RgbaImage {
  const width = Math.round(image.width * factor);
  const height = Math.round(image.height * factor);
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 3; i < data.length; i += 4) data[i] = 255;
  const ox = Math.floor((width - image.width) / 2);
  const oy = Math.floor((height - image.height) / 2);
  for (let y = 0; y < image.height; y++) {
    copyValues(image.data, y * image.width * 4, data, ((y + oy) * width + ox) * 4, image.width * 4);
  }
  return { data, width, height };
}

/**
 * Calibration views of one photo: whole, mirrored, the four corner crops and the centre crop at
 * 60 % of each side, and zoomed out 1.5x and 2.5x (faces and objects at several scales).
 */
export function calibrationViews({ name, image }: NamedImage): NamedImage[] {
  const w = Math.round(image.width * 0.6);
  const h = Math.round(image.height * 0.6);
  const corners: [string, number, number][] = [
    ["top-left", 0, 0],
    ["top-right", image.width - w, 0],
    ["bottom-left", 0, image.height - h],
    ["bottom-right", image.width - w, image.height - h],
    ["centre", Math.floor((image.width - w) / 2), Math.floor((image.height - h) / 2)],
  ];
  return [
    { name, image },
    { name: `${name} mirrored`, image: flipX(image) },
    ...corners.map(([where, x, y]) => ({
      name: `${name} ${where} crop`,
      image: crop(image, x, y, w, h),
    })),
    { name: `${name} zoomed out 1.5x`, image: zoomOut(image, 1.5) },
    { name: `${name} zoomed out 2.5x`, image: zoomOut(image, 2.5) },
  ];
}
