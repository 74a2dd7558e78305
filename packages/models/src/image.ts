// Images as the models take them. An image is RGBA bytes row-major, the layout of a canvas's
// ImageData and of pngjs's decoded data, so the same functions serve the browser and Node.
import { ArgumentError } from "@tsnpu/tensor";

/** Row-major pixels: `data.length === width * height * channels` (ImageData: RGBA, 4 channels). */
export interface RasterImage {
  readonly data: ArrayLike<number>;
  readonly width: number;
  readonly height: number;
  /** 4 (RGBA, the default), 3 (RGB) or 1 (gray). */
  readonly channels?: number;
}

/** Where the image landed inside a square letterboxed input, to map results back. */
export interface Letterbox {
  /** Input side in pixels. */
  readonly size: number;
  /** Input pixels per image pixel. */
  readonly scale: number;
  /** The image's top-left corner in input pixels. */
  readonly offsetX: number;
  readonly offsetY: number;
}

export function imageChannels(image: RasterImage): number {
  const channels = image.channels ?? 4;
  if (image.data.length !== image.width * image.height * channels)
    throw new ArgumentError(
      "image",
      "data",
      `${image.width}x${image.height}x${channels} = ${image.width * image.height * channels} values`,
      `${image.data.length}`,
    );
  return channels;
}

/** RGB of one pixel (gray repeated for one channel). */
function rgbAt(image: RasterImage, channels: number, x: number, y: number, c: number): number {
  return image.data[(y * image.width + x) * channels + (channels === 1 ? 0 : c)]!;
}

/**
 * The image's RGB resampled to `width` x `height` by area averaging (each output pixel is the
 * mean of the source pixels it covers, fractional edges weighted), values 0..255, row-major RGB.
 */
export function resizeRgb(image: RasterImage, width: number, height: number): Float32Array {
  const channels = imageChannels(image);
  const out = new Float32Array(width * height * 3);
  const sx = image.width / width;
  const sy = image.height / height;
  for (let y = 0; y < height; y++) {
    const y0 = y * sy;
    const y1 = Math.min(image.height, y0 + sy);
    for (let x = 0; x < width; x++) {
      const x0 = x * sx;
      const x1 = Math.min(image.width, x0 + sx);
      const acc = [0, 0, 0];
      let area = 0;
      for (let py = Math.floor(y0); py < y1; py++) {
        const wy = Math.min(py + 1, y1) - Math.max(py, y0);
        for (let px = Math.floor(x0); px < x1; px++) {
          const w = wy * (Math.min(px + 1, x1) - Math.max(px, x0));
          area += w;
          for (let c = 0; c < 3; c++) acc[c]! += w * rgbAt(image, channels, px, py, c);
        }
      }
      for (let c = 0; c < 3; c++) out[(y * width + x) * 3 + c] = acc[c]! / area;
    }
  }
  return out;
}

/** The scale and offsets that fit the image, aspect kept, centred in a `size` x `size` square. */
export function letterbox(width: number, height: number, size: number): Letterbox {
  const scale = size / Math.max(width, height);
  return {
    size,
    scale,
    offsetX: Math.floor((size - Math.round(width * scale)) / 2),
    offsetY: Math.floor((size - Math.round(height * scale)) / 2),
  };
}

/**
 * The image letterboxed into `size` x `size` (aspect kept, centred, black borders) as NHWC
 * float32 RGB in [-1, 1] (value / 127.5 - 1), with the letterbox to map detections back.
 */
export function letterboxRgb(
  image: RasterImage,
  size: number,
): { data: Float32Array; letterbox: Letterbox } {
  const box = letterbox(image.width, image.height, size);
  const w = Math.round(image.width * box.scale);
  const h = Math.round(image.height * box.scale);
  const resized = resizeRgb(image, w, h);
  const data = new Float32Array(size * size * 3).fill(-1);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let c = 0; c < 3; c++)
        data[((y + box.offsetY) * size + x + box.offsetX) * 3 + c] =
          resized[(y * w + x) * 3 + c]! / 127.5 - 1;
    }
  }
  return { data, letterbox: box };
}
