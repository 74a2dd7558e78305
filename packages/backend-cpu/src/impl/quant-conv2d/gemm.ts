// spec step 2: acc[o][p] += sum_k w[o][k] * x[k][p], int32 with two's complement wrap-around.
//
// The micro-kernel holds 4 pixels x 2 channel pairs of float64 accumulators, each carrying the
// dot products of two output channels (see tiles.ts). K is walked in chunks of at most
// MAX_K_CHUNK so every float64 sum stays exact; after each chunk the two halves are split apart
// and added into the int32 accumulators with `| 0`, which is where the wrap-around happens.

import type { PackedQuantConv2dWeights } from "./pack-weights.js";
import { INV_PAIR_SHIFT, MAX_K_CHUNK, PAIR_SHIFT, TILE_PAIRS, TILE_PIXELS } from "./tiles.js";

// Module-local copies: the hot loops must not depend on how a bundler exposes imported bindings
// (esbuild's CommonJS output turns them into getter calls, which made this kernel 5x slower).
const TILE_P = TILE_PIXELS;
const TILE_Q = TILE_PAIRS;
const K_CHUNK = MAX_K_CHUNK;
const SHIFT = PAIR_SHIFT;
const INV_SHIFT = INV_PAIR_SHIFT;
if (TILE_P !== 4 || TILE_Q !== 2)
  throw new Error("gemm.ts: the micro-kernel is written for 4 x 2 tiles");

/** Pixel panels processed against one channel-pair block before moving on (keeps them in L2). */
const PIXEL_BLOCKS_PER_SWEEP = 16;

/**
 * Adds one pair accumulator into `acc` (rows of `pixels` int32s per channel): the low half to
 * channel `o`, the high half to channel `o + 1` when it exists. `pair` is lo + hi * 2^27 with
 * |lo| < 2^26, so rounding pair / 2^27 recovers hi exactly and lo is what remains.
 */
function addPair(
  acc: Int32Array,
  pair: number,
  o: number,
  p: number,
  pixels: number,
  cout: number,
): void {
  const hi = Math.round(pair * INV_SHIFT);
  const lo = pair - hi * SHIFT;
  const at = o * pixels + p;
  acc[at] = (acc[at]! + lo) | 0;
  if (o + 1 < cout) acc[at + pixels] = (acc[at + pixels]! + hi) | 0;
}

/**
 * acc (`[cout][pixels]`, int32) += W x X for pixels [p0, p1) of one batch item, where `panels`
 * is their im2col (im2col.ts) and `packed` the weights of pack-weights.ts.
 */
export function gemmAccumulate(
  packed: PackedQuantConv2dWeights,
  panels: Float64Array,
  p0: number,
  p1: number,
  pixels: number,
  acc: Int32Array,
): void {
  const { k, cout, pairBlocks, pairs } = packed;
  const pixelBlocks = Math.ceil((p1 - p0) / TILE_P);
  for (let k0 = 0; k0 < k; k0 += K_CHUNK) {
    const k1 = Math.min(k, k0 + K_CHUNK);
    for (let pb0 = 0; pb0 < pixelBlocks; pb0 += PIXEL_BLOCKS_PER_SWEEP) {
      const pb1 = Math.min(pixelBlocks, pb0 + PIXEL_BLOCKS_PER_SWEEP);
      for (let cb = 0; cb < pairBlocks; cb++) {
        const wStart = (cb * k + k0) * TILE_Q;
        const o = cb * TILE_Q * 2;
        const o1 = o + 2;
        for (let pb = pb0; pb < pb1; pb++) {
          let xi = (pb * k + k0) * TILE_P;
          let wi = wStart;
          let a00 = 0,
            a01 = 0,
            a10 = 0,
            a11 = 0,
            a20 = 0,
            a21 = 0,
            a30 = 0,
            a31 = 0;
          for (let kk = k0; kk < k1; kk++) {
            const x0 = panels[xi]!,
              x1 = panels[xi + 1]!,
              x2 = panels[xi + 2]!,
              x3 = panels[xi + 3]!;
            const w0 = pairs[wi]!,
              w1 = pairs[wi + 1]!;
            a00 += x0 * w0;
            a01 += x0 * w1;
            a10 += x1 * w0;
            a11 += x1 * w1;
            a20 += x2 * w0;
            a21 += x2 * w1;
            a30 += x3 * w0;
            a31 += x3 * w1;
            xi += TILE_P;
            wi += TILE_Q;
          }
          // Store the lanes that are real pixels and real channels.
          const p = p0 + pb * TILE_P;
          addPair(acc, a00, o, p, pixels, cout);
          if (o1 < cout) addPair(acc, a01, o1, p, pixels, cout);
          if (p + 1 < p1) {
            addPair(acc, a10, o, p + 1, pixels, cout);
            if (o1 < cout) addPair(acc, a11, o1, p + 1, pixels, cout);
          }
          if (p + 2 < p1) {
            addPair(acc, a20, o, p + 2, pixels, cout);
            if (o1 < cout) addPair(acc, a21, o1, p + 2, pixels, cout);
          }
          if (p + 3 < p1) {
            addPair(acc, a30, o, p + 3, pixels, cout);
            if (o1 < cout) addPair(acc, a31, o1, p + 3, pixels, cout);
          }
        }
      }
    }
  }
}
