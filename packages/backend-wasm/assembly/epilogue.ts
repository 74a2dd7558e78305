// The end of every conv mode (spec section 3 steps 4-6): int32 sums + bias, to float32, times
// the scale, to float16 bits, stored into the NCHW output. Modes test a whole register tile
// with f16NormalLanes and branch once, so the common case (every result a normal float16)
// converts without per-vector tests.

import { f32x4ToF16 } from "./f16";
import { f16ToF32 } from "./ops/lanes";
import { pickNaN32 } from "./ops/binary";
import { reluF32Lanes } from "./ops/unary";
import { lanes } from "./ops/quantize";
import {
  E_SKIP, E_SKIP_FIRST, E_ACT, E_ACT_LO, E_ACT_HI, E_QUANT, E_QPARAMS, E_QCHANNELS, E_QDIV, E_QLO,
  E_QHI, ACT_RELU, DTYPE_I8,
} from "../src/abi";

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

/**
 * A fused graph step's end for one output channel's 8 pixels (MODE_POINTWISE with an epilogue
 * block, src/abi.ts E_*): h0, h1 hold the conv's float16 bits (4 pixels each, low halves); the
 * block says what follows, each step as the unfused graph's kernel computes it: + skip (the add
 * kernel's float16 lanes, ops/binary.ts), relu (ops/unary.ts) or the quantize lanes with their
 * activation (ops/quantize.ts), then stores float16 or int8/uint8. `e`: the element index of
 * the first pixel in the output (and skip), `ch` its channel, `cnt` the pixels to store.
 */
export function fusedRow(epi: usize, conv: usize, out: usize, e: i32, ch: i32, cnt: i32, tmp: usize): void {
  const h = v128.load(conv);
  let x0 = f16ToF32(i32x4.extend_low_i16x8_u(h)), x1 = f16ToF32(i32x4.extend_high_i16x8_u(h));
  const skip = <usize>load<u32>(epi + (<usize>E_SKIP << 2));
  if (skip) {
    let sv: v128;
    const at = skip + (<usize>e << 1);
    if (cnt == 8) sv = v128.load(at);
    else {
      v128.store(tmp, i32x4.splat(0));
      for (let j = 0; j < cnt; j++) store<u16>(tmp + (<usize>j << 1), load<u16>(at + (<usize>j << 1)));
      sv = v128.load(tmp);
    }
    const s0 = f16ToF32(i32x4.extend_low_i16x8_u(sv)), s1 = f16ToF32(i32x4.extend_high_i16x8_u(sv));
    if (load<i32>(epi + (<usize>E_SKIP_FIRST << 2))) {
      x0 = f16ToF32(f32x4ToF16(pickNaN32(f32x4.add(s0, x0), s0, x0)));
      x1 = f16ToF32(f32x4ToF16(pickNaN32(f32x4.add(s1, x1), s1, x1)));
    } else {
      x0 = f16ToF32(f32x4ToF16(pickNaN32(f32x4.add(x0, s0), x0, s0)));
      x1 = f16ToF32(f32x4ToF16(pickNaN32(f32x4.add(x1, s1), x1, s1)));
    }
  }
  const act = load<i32>(epi + (<usize>E_ACT << 2));
  const quant = load<i32>(epi + (<usize>E_QUANT << 2));
  if (quant == 0) {
    // float16 result: relu is the only activation such a step carries.
    if (act == ACT_RELU) {
      x0 = reluF32Lanes(x0);
      x1 = reluF32Lanes(x1);
    }
    const r = i16x8.narrow_i32x4_u(f32x4ToF16(x0), f32x4ToF16(x1));
    const dst = out + (<usize>e << 1);
    if (cnt == 8) v128.store(dst, r);
    else {
      v128.store(tmp, r);
      for (let j = 0; j < cnt; j++) store<u16>(dst + (<usize>j << 1), load<u16>(tmp + (<usize>j << 1)));
    }
    return;
  }
  const channels = load<i32>(epi + (<usize>E_QCHANNELS << 2));
  const params = <usize>load<u32>(epi + (<usize>E_QPARAMS << 2));
  const c = <usize>(channels == 1 ? 0 : ch) << 2;
  const f = v128.load32_splat(params + c);
  const z = v128.load32_splat(params + (<usize>channels << 2) + c);
  const nan = v128.load32_splat(params + (<usize>channels << 3) + c);
  const lo = i32x4.splat(load<i32>(epi + (<usize>E_QLO << 2))), hi = i32x4.splat(load<i32>(epi + (<usize>E_QHI << 2)));
  const alo = v128.load32_splat(epi + (<usize>E_ACT_LO << 2)), ahi = v128.load32_splat(epi + (<usize>E_ACT_HI << 2));
  let r0: v128, r1: v128;
  if (load<i32>(epi + (<usize>E_QDIV << 2))) {
    r0 = lanes(x0, f, z, nan, lo, hi, true, act, alo, ahi);
    r1 = lanes(x1, f, z, nan, lo, hi, true, act, alo, ahi);
  } else {
    r0 = lanes(x0, f, z, nan, lo, hi, false, act, alo, ahi);
    r1 = lanes(x1, f, z, nan, lo, hi, false, act, alo, ahi);
  }
  const r = i16x8.narrow_i32x4_s(r0, r1);
  const b = quant == DTYPE_I8 ? i8x16.narrow_i16x8_s(r, r) : i8x16.narrow_i16x8_u(r, r);
  const dst = out + <usize>e;
  if (cnt == 8) v128.store64_lane(dst, b, 0);
  else {
    v128.store(tmp, b);
    for (let j = 0; j < cnt; j++) store<u8>(dst + <usize>j, load<u8>(tmp + <usize>j));
  }
}
