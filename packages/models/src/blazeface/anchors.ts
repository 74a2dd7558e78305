// SSD anchors as MediaPipe's SsdAnchorsCalculator makes them
// (mediapipe/calculators/tflite/ssd_anchors_calculator.cc), with the options MediaPipe publishes
// for BlazeFace in its face detection graphs:
// - front 128x128 ("short range"): mediapipe/modules/face_detection/face_detection_short_range_common.pbtxt
//   (earlier face_detection_front_*.pbtxt): num_layers 4, min_scale 0.1484375, max_scale 0.75,
//   input 128x128, anchor_offset 0.5/0.5, strides 8,16,16,16, aspect_ratios 1.0, fixed_anchor_size true.
// - back 256x256: mediapipe/graphs/face_detection/face_detection_back_*.pbtxt (MediaPipe 0.7):
//   num_layers 4, min_scale 0.15625, max_scale 0.75, input 256x256, anchor_offset 0.5/0.5,
//   strides 16,32,32,32, aspect_ratios 1.0, fixed_anchor_size true.
// Both give 896 anchors: a 16x16 grid with 2 anchors per cell, then an 8x8 grid with 6 (the three
// layers sharing a stride are merged into one grid, as the calculator does).

export interface SsdAnchorOptions {
  readonly numLayers: number;
  readonly minScale: number;
  readonly maxScale: number;
  readonly inputSizeHeight: number;
  readonly inputSizeWidth: number;
  readonly anchorOffsetX: number;
  readonly anchorOffsetY: number;
  readonly strides: readonly number[];
  readonly aspectRatios: readonly number[];
  /** MediaPipe's default: 1.0 (> 0 adds one interpolated-scale anchor per cell and layer). */
  readonly interpolatedScaleAspectRatio: number;
  readonly reduceBoxesInLowestLayer: boolean;
  /** Every anchor 1x1: the regressors are then plain offsets in input pixels / input size. */
  readonly fixedAnchorSize: boolean;
}

/** An anchor's centre and size, relative to the input (0..1). */
export interface Anchor {
  readonly xCenter: number;
  readonly yCenter: number;
  readonly width: number;
  readonly height: number;
}

export const BLAZEFACE_FRONT_ANCHORS: SsdAnchorOptions = {
  numLayers: 4,
  minScale: 0.1484375,
  maxScale: 0.75,
  inputSizeHeight: 128,
  inputSizeWidth: 128,
  anchorOffsetX: 0.5,
  anchorOffsetY: 0.5,
  strides: [8, 16, 16, 16],
  aspectRatios: [1.0],
  interpolatedScaleAspectRatio: 1.0,
  reduceBoxesInLowestLayer: false,
  fixedAnchorSize: true,
};

export const BLAZEFACE_BACK_ANCHORS: SsdAnchorOptions = {
  ...BLAZEFACE_FRONT_ANCHORS,
  minScale: 0.15625,
  inputSizeHeight: 256,
  inputSizeWidth: 256,
  strides: [16, 32, 32, 32],
};

function layerScale(o: SsdAnchorOptions, layer: number): number {
  if (o.strides.length === 1) return (o.minScale + o.maxScale) / 2;
  return o.minScale + ((o.maxScale - o.minScale) * layer) / (o.strides.length - 1);
}

/** One cell's anchor sizes (height, width) for the layers [first, last): the calculator's loop. */
function cellAnchorSizes(o: SsdAnchorOptions, first: number, last: number): [number, number][] {
  const sizes: [number, number][] = [];
  for (let layer = first; layer < last; layer++) {
    const scale = layerScale(o, layer);
    if (layer === 0 && o.reduceBoxesInLowestLayer) {
      for (const [ratio, s] of [
        [1.0, 0.1],
        [2.0, scale],
        [0.5, scale],
      ] as const)
        sizes.push([s / Math.sqrt(ratio), s * Math.sqrt(ratio)]);
      continue;
    }
    for (const ratio of o.aspectRatios)
      sizes.push([scale / Math.sqrt(ratio), scale * Math.sqrt(ratio)]);
    if (o.interpolatedScaleAspectRatio > 0) {
      const next = layer === o.strides.length - 1 ? 1.0 : layerScale(o, layer + 1);
      const s = Math.sqrt(scale * next);
      const r = o.interpolatedScaleAspectRatio;
      sizes.push([s / Math.sqrt(r), s * Math.sqrt(r)]);
    }
  }
  return sizes;
}

/** The anchors in the model's output row order (layer, then row, column, anchor). */
export function ssdAnchors(o: SsdAnchorOptions): Anchor[] {
  const anchors: Anchor[] = [];
  let layer = 0;
  while (layer < o.numLayers) {
    let last = layer;
    while (last < o.strides.length && o.strides[last] === o.strides[layer]) last++;
    const sizes = cellAnchorSizes(o, layer, last);
    const stride = o.strides[layer]!;
    const rows = Math.ceil(o.inputSizeHeight / stride);
    const cols = Math.ceil(o.inputSizeWidth / stride);
    for (let y = 0; y < rows; y++) {
      for (let x = 0; x < cols; x++) {
        for (const [height, width] of sizes) {
          anchors.push({
            xCenter: (x + o.anchorOffsetX) / cols,
            yCenter: (y + o.anchorOffsetY) / rows,
            width: o.fixedAnchorSize ? 1 : width,
            height: o.fixedAnchorSize ? 1 : height,
          });
        }
      }
    }
    layer = last;
  }
  return anchors;
}
