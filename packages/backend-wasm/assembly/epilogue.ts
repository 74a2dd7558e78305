// The end of every conv mode (spec section 3 steps 4-6): int32 sums + bias, to float32, times
// the scale, to float16 bits, stored into the NCHW output. Modes test a whole register tile
// with f16NormalLanes and branch once, so the common case (every result a normal float16)
// converts without per-vector tests.

import { f32x4ToF16 } from "./f16";

/** acc (int32 lanes) + bias, to float32, times scale. */
// @ts-ignore: decorator
@inline export function scaled(acc: v128, bias: v128, scale: v128): v128 {
  return f32x4.mul(f32x4.convert_i32x4_s(i32x4.add(acc, bias)), scale);
}

/** acc + bias, to float32, times scale, to float16 bits (one vector, its own range test). */
// @ts-ignore: decorator
@inline export function epilogue(acc: v128, bias: v128, scale: v128): v128 {
  return f32x4ToF16(scaled(acc, bias, scale));
}

/**
 * Stores one channel group (4 channels x 2 pixels) of float16 results. h0, h1: pixel j's
 * float16 bits in the low half of each lane (lanes = channels). Transposes so each channel
 * row gets its 2 pixels as one 4-byte store; `hwo` is the plane size (pixels), `cnt` the
 * pixels to store (1 or 2), and channels at or past `cout` are not stored.
 */
// @ts-ignore: decorator
@inline export function storeGroup(h0: v128, h1: v128, out: usize, hwo: usize, ch: i32, cout: i32, cnt: i32): void {
  const n01 = i16x8.narrow_i32x4_u(h0, h1); // p0c0..p0c3, p1c0..p1c3
  const t = i16x8.shuffle(n01, n01, 0, 4, 1, 5, 2, 6, 3, 7); // c0: p0 p1, c1: p0 p1, ...
  const row = hwo << 1;
  if (cnt == 2 && ch + 4 <= cout) {
    v128.store32_lane(out, t, 0);
    v128.store32_lane(out + row, t, 1);
    v128.store32_lane(out + 2 * row, t, 2);
    v128.store32_lane(out + 3 * row, t, 3);
    return;
  }
  // Tail: one pixel, or channels past Cout.
  if (ch < cout) { store<u16>(out, i16x8.extract_lane_u(t, 0)); if (cnt == 2) store<u16>(out, i16x8.extract_lane_u(t, 1), 2); }
  if (ch + 1 < cout) { store<u16>(out + row, i16x8.extract_lane_u(t, 2)); if (cnt == 2) store<u16>(out + row, i16x8.extract_lane_u(t, 3), 2); }
  if (ch + 2 < cout) { store<u16>(out + 2 * row, i16x8.extract_lane_u(t, 4)); if (cnt == 2) store<u16>(out + 2 * row, i16x8.extract_lane_u(t, 5), 2); }
  if (ch + 3 < cout) { store<u16>(out + 3 * row, i16x8.extract_lane_u(t, 6)); if (cnt == 2) store<u16>(out + 3 * row, i16x8.extract_lane_u(t, 7), 2); }
}
