// The tile sizes and the float64 pair encoding shared by the packers and the GEMM.
//
// Why float64: JS has no int8/int32 SIMD, but a float64 multiply-add is exact for integers
// below 2^53. Two output channels' weights are folded into one float64, w_lo + w_hi * 2^27, so
// one multiply-add by an input value advances two int8 dot products at once.

/** Pixels per micro-tile (the GEMM's register block along the output pixels). */
export const TILE_PIXELS = 4;
/** Channel pairs per micro-tile (2 * this many output channels). */
export const TILE_PAIRS = 2;

/** The high weight of a pair is scaled by this power of two. */
export const PAIR_SHIFT = 2 ** 27;
export const INV_PAIR_SHIFT = 2 ** -27;

/**
 * The longest run of K that a pair accumulator may take before it is split. Each product lies in
 * [-16256, 16384] (|x*w| <= 2^14), so after 4095 terms the low sum is below 2^26 = PAIR_SHIFT / 2
 * in magnitude (the halves separate by rounding) and the whole value stays below
 * 2^26 * 2^27 + 2^26 < 2^53 (every partial sum is exact).
 */
export const MAX_K_CHUNK = 4095;

/**
 * im2col panels are built for this many float64 entries' worth of pixels at a time (at least
 * one tile), so they stay in the L2 cache and their size does not grow with the image.
 */
export const PANEL_BUDGET = 1 << 16;

/** Pixels per im2col chunk for reduction length `k`: a multiple of TILE_PIXELS. */
export const pixelChunk = (k: number): number =>
  Math.max(1, Math.floor(PANEL_BUDGET / (k * TILE_PIXELS))) * TILE_PIXELS;
