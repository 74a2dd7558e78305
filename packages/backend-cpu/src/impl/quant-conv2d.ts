// The cpu backend's QuantConv2d (spec/quant-conv2d.md section 3), as pure functions over typed
// arrays: padded im2col -> int32 GEMM (exact float64 pair arithmetic, wrap-around) -> bias ->
// float32 scale -> float16 bits. The pieces live in ./quant-conv2d/.

import type { QuantConv2dGeometry } from "@tsnpu/tensor";
import { dequantizeToFloat16 } from "./quant-conv2d/epilogue.js";
import { gemmAccumulate } from "./quant-conv2d/gemm.js";
import { im2colPanels } from "./quant-conv2d/im2col.js";
import { packQuantConv2dWeights, type PackedQuantConv2dWeights } from "./quant-conv2d/pack-weights.js";
import { TILE_PIXELS, roundUp } from "./quant-conv2d/tiles.js";

export { packQuantConv2dWeights, type PackedQuantConv2dWeights };
export { float32BitsToFloat16BitsFast } from "./quant-conv2d/epilogue.js";

/**
 * QuantConv2d with weights already packed by {@link packQuantConv2dWeights} (graph mode).
 * `input` is int8 NCHW, `scale` the decoded float32 multipliers (one per output channel),
 * `out` receives float16 bits, NCHW (N, cout, hOut, wOut).
 */
export function quantConv2dPacked(
  g: QuantConv2dGeometry,
  input: Int8Array,
  packed: PackedQuantConv2dWeights,
  bias: Int32Array | null,
  scale: Float32Array,
  out: Uint16Array,
): void {
  const pixels = g.hOut * g.wOut;
  const panels = new Float64Array(roundUp(pixels, TILE_PIXELS) * packed.k);
  const acc = new Int32Array(g.cout * pixels);
  const scratch = new Float32Array(pixels);
  for (let n = 0; n < g.n; n++) {
    im2colPanels(g, input, n, panels);
    acc.fill(0);
    gemmAccumulate(packed, panels, pixels, acc);
    dequantizeToFloat16(acc, bias, scale, g.cout, pixels, out, n * g.cout * pixels, scratch);
  }
}

/** Eager QuantConv2d: packs the weights, then runs {@link quantConv2dPacked}. */
export function quantConv2d(
  g: QuantConv2dGeometry,
  input: Int8Array,
  weight: Int8Array,
  bias: Int32Array | null,
  scale: Float32Array,
  out: Uint16Array,
): void {
  quantConv2dPacked(g, input, packQuantConv2dWeights(g, weight), bias, scale, out);
}
