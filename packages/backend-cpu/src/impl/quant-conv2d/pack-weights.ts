// Weight packing: done once per module in graph mode, so it may be slow-ish and it is allowed
// to pick whatever layout the GEMM's inner loop reads best.

import type { QuantConv2dGeometry } from "@tsnpu/tensor";
import { PAIR_SHIFT, TILE_PAIRS } from "./tiles.js";

export interface PackedQuantConv2dWeights {
  /** K = cin * kh * kw, the GEMM's reduction length (weights are OIHW, so row o is contiguous). */
  readonly k: number;
  readonly cout: number;
  /** Number of TILE_PAIRS-wide channel-pair blocks. */
  readonly pairBlocks: number;
  /**
   * `[pairBlock][k][TILE_PAIRS]`: entry j of block b at k is
   * `w[2q][k] + w[2q+1][k] * PAIR_SHIFT` with q = b * TILE_PAIRS + j; missing channels are 0.
   */
  readonly pairs: Float64Array;
}

export function packQuantConv2dWeights(g: QuantConv2dGeometry, weight: Int8Array): PackedQuantConv2dWeights {
  const k = g.cin * g.kh * g.kw;
  const cout = g.cout;
  const pairBlocks = Math.ceil(cout / (2 * TILE_PAIRS));
  const pairs = new Float64Array(pairBlocks * k * TILE_PAIRS);
  for (let o = 0; o < cout; o++) {
    const q = o >> 1;
    const factor = o & 1 ? PAIR_SHIFT : 1;
    const block = Math.floor(q / TILE_PAIRS);
    const lane = q % TILE_PAIRS;
    let dst = block * k * TILE_PAIRS + lane;
    for (let i = o * k, end = i + k; i < end; i++, dst += TILE_PAIRS) pairs[dst] += weight[i]! * factor;
  }
  return { k, cout, pairBlocks, pairs };
}
