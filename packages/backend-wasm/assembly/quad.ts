// The register tile of the modes whose lanes are output pixels and whose weights come as 4-byte
// pairs splat by their load (pointwise.ts, stem.ts): 4 output channels x 8 pixels (two vectors
// of 4) = 8 i32x4 accumulators. Per step, each channel's weight pair goes through
// i32x4.dot_i16x8_s with both pixel vectors (each holding 4 pixels' int16 pairs). The sums start
// at the bias (spec section 3 step 3) and wrap in int32; their order does not change the bits.
//
// The tile's end tries epilogue.ts fastHalfQuad first (every value a normal float16, one range
// test for the tile). The rare tiles it leaves are spilled and finished row by row in a call
// that is not inlined (finishSpilled), so no vector is live across it and the hot loop keeps
// its vectors in registers.

import { fastHalfQuad, finishRow, normalRow, Epilogue } from "./epilogue";

/**
 * One tile over `steps` steps; w: the channel quad's weight pairs, 16 bytes per step. The pixel
 * vectors of step t: `table` false, the 32 bytes at a + 32 t (pointwise.ts's interleaved
 * pairs); true, at a + offs[2t] (stem.ts's padded rows), and from step `ones` on, the even
 * lanes of the loads at a + offs[2t] and a + offs[2t + 1] (two kernel rows' last taps).
 * `table`, `skip`, `relu`, `general`: constants (quadEnd's). b, s: the quad's bias and scales;
 * e: the element index of (image, channel ch, first pixel) in the output; spill: the
 * QUAD_SPILL_BYTES (src/abi.ts) at the end of this thread's scratch.
 */
// @ts-ignore: decorator
@inline export function quadTile(
  a: usize, offs: usize, table: bool, steps: i32, ones: i32, w: usize, b: usize, s: usize,
  ep: Epilogue, epi: usize, out: usize, e: i32, ch: i32, cout: i32, hw: i32, cnt: i32, tmp: usize,
  spill: usize, skip: bool, relu: bool, general: bool,
): void {
  let c00 = v128.load32_splat(b), c10 = v128.load32_splat(b + 4);
  let c20 = v128.load32_splat(b + 8), c30 = v128.load32_splat(b + 12);
  let c01 = c00, c11 = c10, c21 = c20, c31 = c30;
  for (let t = 0; t < steps; t++) {
    let x0: v128, x1: v128;
    if (!table) {
      x0 = v128.load(a);
      x1 = v128.load(a, 16);
      a += 32;
    } else if (t < ones) {
      const p = a + <usize>load<i32>(offs);
      x0 = v128.load(p);
      x1 = v128.load(p, 16);
      offs += 8;
    } else {
      const p = a + <usize>load<i32>(offs), q = a + <usize>load<i32>(offs, 4);
      x0 = i16x8.shuffle(v128.load(p), v128.load(q), 0, 8, 2, 10, 4, 12, 6, 14);
      x1 = i16x8.shuffle(v128.load(p, 16), v128.load(q, 16), 0, 8, 2, 10, 4, 12, 6, 14);
      offs += 8;
    }
    let ws = v128.load32_splat(w);
    c00 = i32x4.add(c00, i32x4.dot_i16x8_s(x0, ws));
    c01 = i32x4.add(c01, i32x4.dot_i16x8_s(x1, ws));
    ws = v128.load32_splat(w, 4);
    c10 = i32x4.add(c10, i32x4.dot_i16x8_s(x0, ws));
    c11 = i32x4.add(c11, i32x4.dot_i16x8_s(x1, ws));
    ws = v128.load32_splat(w, 8);
    c20 = i32x4.add(c20, i32x4.dot_i16x8_s(x0, ws));
    c21 = i32x4.add(c21, i32x4.dot_i16x8_s(x1, ws));
    ws = v128.load32_splat(w, 12);
    c30 = i32x4.add(c30, i32x4.dot_i16x8_s(x0, ws));
    c31 = i32x4.add(c31, i32x4.dot_i16x8_s(x1, ws));
    w += 16;
  }
  // float32, times the scale (steps 4-5).
  let sj = v128.load32_splat(s);
  const y00 = f32x4.mul(f32x4.convert_i32x4_s(c00), sj), y01 = f32x4.mul(f32x4.convert_i32x4_s(c01), sj);
  sj = v128.load32_splat(s + 4);
  const y10 = f32x4.mul(f32x4.convert_i32x4_s(c10), sj), y11 = f32x4.mul(f32x4.convert_i32x4_s(c11), sj);
  sj = v128.load32_splat(s + 8);
  const y20 = f32x4.mul(f32x4.convert_i32x4_s(c20), sj), y21 = f32x4.mul(f32x4.convert_i32x4_s(c21), sj);
  sj = v128.load32_splat(s + 12);
  const y30 = f32x4.mul(f32x4.convert_i32x4_s(c30), sj), y31 = f32x4.mul(f32x4.convert_i32x4_s(c31), sj);
  // `general` (the quantized results): every tile row by row.
  if (general || cnt < 8 || ch + 4 > cout ||
    !fastHalfQuad(ep.skip, skip, relu, y00, y01, y10, y11, y20, y21, y30, y31, out, e, hw)) {
    v128.store(spill, y00); v128.store(spill, y01, 16);
    v128.store(spill, y10, 32); v128.store(spill, y11, 48);
    v128.store(spill, y20, 64); v128.store(spill, y21, 80);
    v128.store(spill, y30, 96); v128.store(spill, y31, 112);
    finishSpilled(ep, epi, spill, out, e, ch, cout, hw, cnt, tmp);
  }
}

/** The spilled tile's rows (channels ch .. ch+3 below cout, `cnt` pixels) through finishRow. */
function finishSpilled(
  ep: Epilogue, epi: usize, spill: usize, out: usize, e: i32, ch: i32, cout: i32, hw: i32, cnt: i32, tmp: usize,
): void {
  for (let j = 0; j < 4 && ch + j < cout; j++) {
    const y0 = v128.load(spill + (<usize>j << 5)), y1 = v128.load(spill + (<usize>j << 5), 16);
    finishRow(ep, epi, y0, y1, normalRow(y0, y1), out, e + j * hw, ch + j, cnt, tmp);
  }
}
