// float32 <-> float16 casts of contiguous data, eight elements per step, bit-exact to the cpu's
// cast (tensor/src/numerics/float16.ts: round to nearest even, overflow to inf, subnormals
// kept; a float16 NaN widens quiet with its payload, as a read into a JS number makes it).

import { f16FromNormal, f16NormalLanes, toF16 } from "../f16";
import { anyNonFiniteF16, f16ToF32, quiet32, widenFiniteF16 } from "./lanes";

/** Eight float32 at src -> eight float16 bits (one vector). */
// @ts-ignore: decorator
@inline function narrow8(src: usize): v128 {
  const lo = v128.load(src);
  const hi = v128.load(src + 16);
  const normal = i32x4.all_true(v128.and(f16NormalLanes(lo), f16NormalLanes(hi)));
  if (normal) return i16x8.narrow_i32x4_u(f16FromNormal(lo), f16FromNormal(hi));
  return i16x8.narrow_i32x4_u(toF16(lo, false), toF16(hi, false));
}

/** n float32 at src -> float16 bits at dst. */
export function castF32ToF16(src: usize, dst: usize, n: i32): void {
  let i = 0;
  for (; i + 8 <= n; i += 8) v128.store(dst + (<usize>i << 1), narrow8(src + (<usize>i << 2)));
  for (; i < n; i++) {
    const h = toF16(v128.load32_splat(src + (<usize>i << 2)), false);
    store<u16>(dst + (<usize>i << 1), <u16>i32x4.extract_lane(h, 0));
  }
}

/** n float16 bits at src -> float32 at dst (NaNs quiet). */
export function castF16ToF32(src: usize, dst: usize, n: i32): void {
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const h = v128.load(src + (<usize>i << 1));
    const out = dst + (<usize>i << 2);
    if (!anyNonFiniteF16(h, h)) {
      v128.store(out, widenFiniteF16(i32x4.extend_low_i16x8_s(h)));
      v128.store(out + 16, widenFiniteF16(i32x4.extend_high_i16x8_s(h)));
      continue;
    }
    v128.store(out, quiet32(f16ToF32(i32x4.extend_low_i16x8_u(h))));
    v128.store(out + 16, quiet32(f16ToF32(i32x4.extend_high_i16x8_u(h))));
  }
  for (; i < n; i++) {
    const r = quiet32(f16ToF32(i32x4.splat(<i32>load<u16>(src + (<usize>i << 1)))));
    store<f32>(dst + (<usize>i << 2), f32x4.extract_lane(r, 0));
  }
}

/**
 * constant_pad_nd's copy for contiguous planes padded in their last two dims: `planes` planes of
 * h rows of `rowBytes` at src land at row `top`, byte `left` of planes of hOut rows of
 * `outRowBytes` at dst (already filled with the pad value).
 */
export function padPlanes(src: usize, dst: usize, planes: i32, h: i32, rowBytes: usize, hOut: i32, outRowBytes: usize, top: i32, left: usize): void {
  for (let p = 0; p < planes; p++) {
    for (let r = 0; r < h; r++) {
      const from = src + (<usize>(p * h + r)) * rowBytes;
      memory.copy(dst + (<usize>(p * hOut + r + top)) * outRowBytes + left, from, rowBytes);
    }
  }
}
