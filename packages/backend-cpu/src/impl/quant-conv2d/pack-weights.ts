// Weight packing: done once per module in graph mode, so it may be slow-ish and it is allowed
// to pick whatever layout the GEMM's inner loop reads best.

import type { QuantConv2dGeometry } from "@tsnpu/tensor";
import { PAIR_SHIFT, TILE_PAIRS } from "./tiles.js";

/**
 * Up to this many output channels the direct convolution (direct.ts) beats im2col + GEMM: the
 * panels cost about as much to build as a few channels' worth of direct arithmetic.
 */
export const DIRECT_MAX_COUT = 2;

export interface PackedQuantConv2dWeights {
  /** K = cin * kh * kw, the GEMM's reduction length (weights are OIHW, so row o is contiguous). */
  readonly k: number;
  readonly cout: number;
  /** The path the weights were packed for. */
  readonly path: "gemm" | "direct";
  /** Number of TILE_PAIRS-wide channel-pair blocks (0 on the direct path). */
  readonly pairBlocks: number;
  /**
   * GEMM path: `[pairBlock][k][TILE_PAIRS]`, entry j of block b at k is
   * `w[2q][k] + w[2q+1][k] * PAIR_SHIFT` with q = b * TILE_PAIRS + j; missing channels are 0.
   * Empty on the direct path.
   */
  readonly pairs: Float64Array;
  /** Direct path: the OIHW weights as float64 (empty on the GEMM path). */
  readonly weight: Float64Array;
}

export function packQuantConv2dWeights(
  g: QuantConv2dGeometry,
  weight: Int8Array,
): PackedQuantConv2dWeights {
  const k = g.cin * g.kh * g.kw;
  const cout = g.cout;
  if (cout <= DIRECT_MAX_COUT) {
    return {
      k,
      cout,
      path: "direct",
      pairBlocks: 0,
      pairs: new Float64Array(0),
      weight: Float64Array.from(weight.subarray(0, cout * k)),
    };
  }
  const pairBlocks = Math.ceil(cout / (2 * TILE_PAIRS));
  const pairs = new Float64Array(pairBlocks * k * TILE_PAIRS);
  for (let o = 0; o < cout; o++) {
    const q = o >> 1;
    const factor = o & 1 ? PAIR_SHIFT : 1;
    const block = Math.floor(q / TILE_PAIRS);
    const lane = q % TILE_PAIRS;
    let dst = block * k * TILE_PAIRS + lane;
    for (let i = o * k, end = i + k; i < end; i++, dst += TILE_PAIRS)
      pairs[dst] = pairs[dst]! + weight[i]! * factor;
  }
  return { k, cout, path: "gemm", pairBlocks, pairs, weight: new Float64Array(0) };
}
