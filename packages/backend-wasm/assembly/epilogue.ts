// The end of every conv mode (spec section 3 steps 4-6): int32 sums + bias, to float32, times
// the scale, to float16 bits, stored into the NCHW output. Modes test a whole register tile
// with f16NormalLanes and branch once, so the common case (every result a normal float16)
// converts without per-vector tests (MODE_POINTWISE: per register tile, fastHalfQuad).

import {
  f16x8FromNormal, reluF16x8FromNormal, f32x4ToF16, f16NormalLanes, normalKey, roundHalfNormal, toF16, NORMAL_KEY_END,
} from "./f16";
import { f16ToF32, widenFiniteF16 } from "./ops/lanes";
import { pickNaN32 } from "./ops/binary";
import { reluF16Lanes } from "./ops/unary";
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

/** Loads up to 8 float16 at src as 16 bytes (zeros past `cnt`) through tmp. */
// @ts-ignore: decorator
@inline function load8(src: usize, cnt: i32, tmp: usize): v128 {
  if (cnt >= 8) return v128.load(src);
  v128.store(tmp, i32x4.splat(0));
  for (let j = 0; j < cnt; j++) store<u16>(tmp + (<usize>j << 1), load<u16>(src + (<usize>j << 1)));
  return v128.load(tmp);
}

/** Stores the first `cnt` (<= 8) of `bytes`-byte elements of v at dst (all 16 bytes' worth when 8). */
// @ts-ignore: decorator
@inline function storeN(dst: usize, v: v128, cnt: i32, bytes: i32, tmp: usize): void {
  if (cnt >= 8) {
    if (bytes == 2) v128.store(dst, v);
    else v128.store64_lane(dst, v, 0);
    return;
  }
  v128.store(tmp, v);
  if (bytes == 2) for (let j = 0; j < cnt; j++) store<u16>(dst + (<usize>j << 1), load<u16>(tmp + (<usize>j << 1)));
  else for (let j = 0; j < cnt; j++) store<u8>(dst + <usize>j, load<u8>(tmp + <usize>j));
}

/** The conv's float16 result as float32 lanes; `normal`: every lane passed f16NormalLanes. */
// @ts-ignore: decorator
@inline export function convHalf(y: v128, normal: bool): v128 {
  return normal ? roundHalfNormal(y) : f16ToF32(f32x4ToF16(y));
}

/** x + s as the add kernel's float16 lanes compute it (ops/binary.ts), float16 bits; `nan`: a lane may be NaN. */
// @ts-ignore: decorator
@inline function addHalf(x: v128, s: v128, skipFirst: bool, nan: bool): v128 {
  if (!nan) return f32x4ToF16(f32x4.add(x, s)); // the sum of two non-NaN lanes needs no NaN choice
  return skipFirst ? f32x4ToF16(pickNaN32(f32x4.add(s, x), s, x)) : f32x4ToF16(pickNaN32(f32x4.add(x, s), x, s));
}

/** finishRow's `normal` for a row: every lane of y0, y1 passes f16NormalLanes. */
// @ts-ignore: decorator
@inline export function normalRow(y0: v128, y1: v128): bool {
  return i32x4.all_true(v128.and(f16NormalLanes(y0), f16NormalLanes(y1)));
}

/** What an epilogue block (src/abi.ts E_*) asks, read once per chunk. */
@unmanaged export class Epilogue {
  skip: usize = 0;
  skipFirst: bool = false;
  act: i32 = 0;
  quant: i32 = 0;
  params: usize = 0;
  channels: i32 = 0;
  div: bool = false;
}

/** Reads the block at `epi` into `e` (a thread's own memory); epi 0: no block, every word 0. */
export function readEpilogue(epi: usize, e: Epilogue): void {
  if (epi == 0) {
    memory.fill(changetype<usize>(e), 0, offsetof<Epilogue>());
    return;
  }
  e.skip = <usize>load<u32>(epi + (<usize>E_SKIP << 2));
  e.skipFirst = load<i32>(epi + (<usize>E_SKIP_FIRST << 2)) != 0;
  e.act = load<i32>(epi + (<usize>E_ACT << 2));
  e.quant = load<i32>(epi + (<usize>E_QUANT << 2));
  e.params = <usize>load<u32>(epi + (<usize>E_QPARAMS << 2));
  e.channels = load<i32>(epi + (<usize>E_QCHANNELS << 2));
  e.div = load<i32>(epi + (<usize>E_QDIV << 2)) != 0;
}

/**
 * A fused graph step's end for one output channel's 8 pixels (MODE_POINTWISE with an epilogue
 * block): y0, y1 are the conv's scaled float32 results (4 pixels each) before the float16
 * rounding, `normal` as in gemm.ts. Each step as the unfused graph's kernel computes it: the
 * float16 rounding, + skip (the add kernel's float16 lanes, ops/binary.ts), relu (ops/unary.ts,
 * on the float16 bits) or the quantize lanes with their activation (ops/quantize.ts); then
 * float16 or int8/uint8 is stored. `e`: the element index of the first pixel in the output (and
 * skip), `ch` its channel, `cnt` the pixels to store.
 */
// @ts-ignore: decorator
@inline export function finishRow(
  ep: Epilogue, epi: usize, y0: v128, y1: v128, normal: bool, out: usize, e: i32, ch: i32, cnt: i32, tmp: usize,
): void {
  let h0: v128, h1: v128;
  const skip = ep.skip;
  if (skip) {
    const sv = load8(skip + (<usize>e << 1), cnt, tmp);
    const s0 = f16ToF32(i32x4.extend_low_i16x8_u(sv)), s1 = f16ToF32(i32x4.extend_high_i16x8_u(sv));
    // The conv's lanes are not NaN when normal; a NaN skip lane needs the add kernel's choice.
    const nan = !normal || v128.any_true(v128.or(f32x4.ne(s0, s0), f32x4.ne(s1, s1)));
    const x0 = convHalf(y0, normal), x1 = convHalf(y1, normal);
    if (nan) {
      h0 = addHalf(x0, s0, ep.skipFirst, true);
      h1 = addHalf(x1, s1, ep.skipFirst, true);
    } else {
      h0 = addHalf(x0, s0, false, false);
      h1 = addHalf(x1, s1, false, false);
    }
  } else {
    h0 = toF16(y0, normal);
    h1 = toF16(y1, normal);
  }
  if (ep.quant == 0) {
    // float16 result: relu is the only activation such a step carries.
    let h = i16x8.narrow_i32x4_u(h0, h1);
    if (ep.act == ACT_RELU) h = reluF16Lanes(h);
    storeN(out + (<usize>e << 1), h, cnt, 2, tmp);
    return;
  }
  const x0 = skip ? f16ToF32(h0) : convHalf(y0, normal), x1 = skip ? f16ToF32(h1) : convHalf(y1, normal);
  const channels = ep.channels, params = ep.params;
  const c = <usize>(channels == 1 ? 0 : ch) << 2;
  const f = v128.load32_splat(params + c);
  const z = v128.load32_splat(params + (<usize>channels << 2) + c);
  const nanq = v128.load32_splat(params + (<usize>channels << 3) + c);
  const lo = i32x4.splat(load<i32>(epi + (<usize>E_QLO << 2))), hi = i32x4.splat(load<i32>(epi + (<usize>E_QHI << 2)));
  const alo = v128.load32_splat(epi + (<usize>E_ACT_LO << 2)), ahi = v128.load32_splat(epi + (<usize>E_ACT_HI << 2));
  let r0: v128, r1: v128;
  if (ep.div) {
    r0 = lanes(x0, f, z, nanq, lo, hi, true, ep.act, alo, ahi);
    r1 = lanes(x1, f, z, nanq, lo, hi, true, ep.act, alo, ahi);
  } else {
    r0 = lanes(x0, f, z, nanq, lo, hi, false, ep.act, alo, ahi);
    r1 = lanes(x1, f, z, nanq, lo, hi, false, ep.act, alo, ahi);
  }
  const w = i16x8.narrow_i32x4_s(r0, r1);
  storeN(out + <usize>e, ep.quant == DTYPE_I8 ? i8x16.narrow_i16x8_s(w, w) : i8x16.narrow_i16x8_u(w, w), cnt, 1, tmp);
}

/**
 * finishRow's common case in fewer instructions, for a register tile's 4 channel rows of 8
 * pixels at once (`yJ0`, `yJ1`: row J's scaled float32 results; row J is channel ch + J, `hw`
 * elements after row J - 1): a float16 result and every value inside float16's normal range
 * (the conv's results, the skip and the sums; so no zero, NaN or infinity). Then the conv's
 * rounding is roundHalfNormal, the skip widens without special cases, the add needs no NaN
 * choice, and the sum converts with f16x8FromNormal (or reluF16x8FromNormal: relu of a nonzero
 * float16). The range keys of all four rows are max'ed and tested once. `hasSkip`, `relu`:
 * the step's add and activation (constants); `skip`: the skip's data. Returns false, having
 * stored nothing, when a lane is outside that range: finishRow then does the rows.
 */
// @ts-ignore: decorator
@inline export function fastHalfQuad(
  skip: usize, hasSkip: bool, relu: bool, y00: v128, y01: v128, y10: v128, y11: v128,
  y20: v128, y21: v128, y30: v128, y31: v128, out: usize, e: i32, hw: i32,
): bool {
  const row = <usize>hw << 1;
  let key = i32x4.max_s(
    i32x4.max_s(i32x4.max_s(normalKey(y00), normalKey(y01)), i32x4.max_s(normalKey(y10), normalKey(y11))),
    i32x4.max_s(i32x4.max_s(normalKey(y20), normalKey(y21)), i32x4.max_s(normalKey(y30), normalKey(y31))),
  );
  let h0: v128, h1: v128, h2: v128, h3: v128;
  let ok: v128;
  if (hasSkip) {
    const s = skip + (<usize>e << 1);
    const s0 = v128.load(s), s1 = v128.load(s + row), s2 = v128.load(s + 2 * row), s3 = v128.load(s + 3 * row);
    // Every skip finite: the largest magnitude (sign bit cleared) below infinity's.
    const mag = i16x8.splat(0x7fff);
    const top = i16x8.max_s(
      i16x8.max_s(v128.and(s0, mag), v128.and(s1, mag)),
      i16x8.max_s(v128.and(s2, mag), v128.and(s3, mag)),
    );
    const finite = i16x8.lt_s(top, i16x8.splat(0x7c00));
    let z0 = halfSum(y00, i32x4.extend_low_i16x8_s(s0)), z1 = halfSum(y01, i32x4.extend_high_i16x8_s(s0));
    key = i32x4.max_s(key, i32x4.max_s(normalKey(z0), normalKey(z1)));
    h0 = halfRow(z0, z1, relu);
    z0 = halfSum(y10, i32x4.extend_low_i16x8_s(s1));
    z1 = halfSum(y11, i32x4.extend_high_i16x8_s(s1));
    key = i32x4.max_s(key, i32x4.max_s(normalKey(z0), normalKey(z1)));
    h1 = halfRow(z0, z1, relu);
    z0 = halfSum(y20, i32x4.extend_low_i16x8_s(s2));
    z1 = halfSum(y21, i32x4.extend_high_i16x8_s(s2));
    key = i32x4.max_s(key, i32x4.max_s(normalKey(z0), normalKey(z1)));
    h2 = halfRow(z0, z1, relu);
    z0 = halfSum(y30, i32x4.extend_low_i16x8_s(s3));
    z1 = halfSum(y31, i32x4.extend_high_i16x8_s(s3));
    key = i32x4.max_s(key, i32x4.max_s(normalKey(z0), normalKey(z1)));
    h3 = halfRow(z0, z1, relu);
    ok = v128.and(i32x4.lt_s(key, i32x4.splat(NORMAL_KEY_END)), finite);
  } else {
    h0 = halfRow(y00, y01, relu);
    h1 = halfRow(y10, y11, relu);
    h2 = halfRow(y20, y21, relu);
    h3 = halfRow(y30, y31, relu);
    ok = i32x4.lt_s(key, i32x4.splat(NORMAL_KEY_END));
  }
  if (!i16x8.all_true(ok)) return false;
  const o = out + (<usize>e << 1);
  v128.store(o, h0);
  v128.store(o + row, h1);
  v128.store(o + 2 * row, h2);
  v128.store(o + 3 * row, h3);
  return true;
}

/** The conv's result rounded to float16 plus a finite float16 skip lane (sign-extended bits), float32. */
// @ts-ignore: decorator
@inline function halfSum(y: v128, skipBits: v128): v128 {
  return f32x4.add(roundHalfNormal(y), widenFiniteF16(skipBits));
}

/** The float16 bits of 8 normal-range lanes, relu'd when `relu` (a constant). */
// @ts-ignore: decorator
@inline function halfRow(z0: v128, z1: v128, relu: bool): v128 {
  return relu ? reluF16x8FromNormal(z0, z1) : f16x8FromNormal(z0, z1);
}
