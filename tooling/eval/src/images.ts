// The sample photos (images/, public domain / CC0, see images/README.md) decoded with pngjs and
// jpeg-js into RGBA rasters, and the crops, flips and mosaics that widen the calibration set.
import { readFileSync, readdirSync } from "node:fs";
import { extname } from "node:path";
import jpeg from "jpeg-js";
import { PNG } from "pngjs";
import { type RasterImage, resizeRgb } from "@tsnpu/models";

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

/**
 * Calibration views of one photo: whole, mirrored, and the four corner crops and the centre crop
 * at 60 % of each side (objects larger than in the whole photo; `mosaic` makes them smaller).
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
  ];
}

/** The central square of an image, resampled to `side` x `side`. */
function squareTile(image: RasterImage, side: number): RgbaImage {
  const s = Math.min(image.width, image.height);
  const square = crop(
    image,
    Math.floor((image.width - s) / 2),
    Math.floor((image.height - s) / 2),
    s,
    s,
  );
  const rgb = resizeRgb(square, side, side);
  const data = new Uint8ClampedArray(side * side * 4);
  for (let i = 0; i < side * side; i++) {
    for (let c = 0; c < 3; c++) data[i * 4 + c] = Math.round(rgb[i * 3 + c]!);
    data[i * 4 + 3] = 255;
  }
  return { data, width: side, height: side };
}

/**
 * A `grid` x `grid` mosaic of the photos' central squares (taken in turn, from `first`): every
 * object at 1 / grid of its size in a whole photo, with natural content all around.
 */
export function mosaic(
  photos: readonly RasterImage[],
  grid: number,
  first = 0,
  side = 128,
): RgbaImage {
  const width = grid * side;
  const data = new Uint8ClampedArray(width * width * 4);
  for (let t = 0; t < grid * grid; t++) {
    const tile = squareTile(photos[(first + t) % photos.length]!, side);
    const ox = (t % grid) * side;
    const oy = Math.floor(t / grid) * side;
    for (let y = 0; y < side; y++)
      copyValues(tile.data, y * side * 4, data, ((oy + y) * width + ox) * 4, side * 4);
  }
  return { data, width, height: width };
}

/**
 * Mosaic calibration views of the photos: 2 x 2 starting at each photo, and two 3 x 3. They
 * replace zoomed-out views on a black canvas, whose black frame drove BlazeFace's deep
 * activations 10 to 30 times above any natural view's (docs/quantization.md section 4).
 */
export function mosaicViews(photos: readonly NamedImage[]): NamedImage[] {
  const images = photos.map((p) => p.image);
  const layouts: [number, number][] = [
    ...photos.map((_, first): [number, number] => [2, first]),
    [3, 0],
    [3, 1],
  ];
  return layouts.map(([grid, first]) => ({
    name: `${grid}x${grid} mosaic from ${photos[first]!.name}`,
    image: mosaic(images, grid, first),
  }));
}

/** A square face box in image pixels. */
export interface FaceBox {
  readonly x: number;
  readonly y: number;
  readonly side: number;
}

/**
 * Calibration views of a face in a photo: square crops centred on it, the face filling 1/4,
 * 2/5 and 3/5 of the side (moved inside the photo where needed), each also mirrored.
 */
export function faceViews({ name, image }: NamedImage, face: FaceBox): NamedImage[] {
  const cx = face.x + face.side / 2;
  const cy = face.y + face.side / 2;
  return [4, 2.5, 5 / 3].flatMap((zoom) => {
    const s = Math.min(Math.round(face.side * zoom), image.width, image.height);
    const x = Math.max(0, Math.min(image.width - s, Math.round(cx - s / 2)));
    const y = Math.max(0, Math.min(image.height - s, Math.round(cy - s / 2)));
    const view = crop(image, x, y, s, s);
    const what = `${name} face crop (face 1/${zoom.toFixed(2)} of the side)`;
    return [
      { name: what, image: view },
      { name: `${what} mirrored`, image: flipX(view) },
    ];
  });
}
