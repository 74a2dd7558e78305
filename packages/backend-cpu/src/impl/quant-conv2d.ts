// The cpu backend's QuantConv2d (docs/semantics/quant-conv2d.md section 3), as pure functions over typed
// arrays: padded im2col -> int32 GEMM (exact float64 pair arithmetic, wrap-around) -> bias ->
// float32 scale -> float16 bits. The pieces live in ./quant-conv2d/.

import type { QuantConv2dGeometry } from "@tsnpu/tensor";
import { directConv, paddedInputLength } from "./quant-conv2d/direct.js";
import { dequantizeToFloat16 } from "./quant-conv2d/epilogue.js";
import { gemmAccumulate } from "./quant-conv2d/gemm.js";
import { im2colPanels } from "./quant-conv2d/im2col.js";
import {
  packQuantConv2dWeights,
  type PackedQuantConv2dWeights,
} from "./quant-conv2d/pack-weights.js";
import { float32Scratch, float64Scratch, int32Scratch } from "./quant-conv2d/scratch.js";
import { pixelChunk } from "./quant-conv2d/tiles.js";

export { packQuantConv2dWeights, type PackedQuantConv2dWeights };
export { float32BitsToFloat16BitsFast } from "./quant-conv2d/epilogue.js";

/**
 * QuantConv2d with weights already packed by {@link packQuantConv2dWeights} (graph mode).
 * `input` is int8 NCHW, `bias` int32 per output channel or null, `scale` the decoded float32
 * multipliers (one per output channel, see decodeQuantScales), `out` receives float16 bits,
 * NCHW (N, cout, hOut, wOut). The geometry is trusted (the op's meta function validated it).
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
  const acc = int32Scratch(g.cout * pixels);
  const scratch = float32Scratch(pixels);
  const direct = packed.path === "direct";
  // Direct path: a padded copy of the input. GEMM path: im2col panels for `chunk` pixels.
  const chunk = pixelChunk(packed.k);
  const f64 = float64Scratch(direct ? paddedInputLength(g) : chunk * packed.k);
  for (let n = 0; n < g.n; n++) {
    if (direct) {
      directConv(g, input, n, packed.weight, acc, f64);
    } else {
      acc.fill(0, 0, g.cout * pixels);
      for (let p0 = 0; p0 < pixels; p0 += chunk) {
        const p1 = Math.min(pixels, p0 + chunk);
        im2colPanels(g, input, n, p0, p1, f64);
        gemmAccumulate(packed, f64, p0, p1, pixels, acc);
      }
    }
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
