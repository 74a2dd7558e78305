// Phase 2 for MODE_WINOGRAD: 3x3 kernels, stride 1, dilation 1, as integer Winograd F(2x2, 3x3).
//
// Weights (pack time): U' = G' g G'^T with G' = 2G = [[2,0,0],[1,1,1],[1,-1,1],[0,0,2]], so
// U' = 4U is an integer, |U'| <= 9*128 fits int16. Input tiles (4x4, stride 2 over the padded
// NHWC int16 copy): V = B^T d B, |V| <= 4*128 fits int16. For each of the 16 positions
// M = sum over c of V[c] * U'[c] (int32, wrapping: the dot_i16x8 GEMM of gemm.ts), then
// Y' = A^T M A. Everything is linear, so in int32 modular arithmetic Y' == 4 * acc (mod 2^32);
// the plan only picks this mode when |4 * acc| < 2^31 (Cin < 3640), where acc never wraps and
// Y' >> 2 is acc exactly. Then the same bias/scale/float16 epilogue as the other modes.
//
// A work chunk = (image, block of tiles, group of 16-channel blocks): pad the input rows the
// block reads (int8 NCHW -> int16 NHWC, border = offset_x) into this thread's scratch,
// input-transform the block, then per channel block the 16 GEMMs into an int32 scratch, then
// output transform + epilogue straight to the output. There is no shared padded copy (no
// prep phase): on 2 threads, reading padded rows the other thread wrote cost more than
// re-padding the 2 rows neighbouring blocks share. Tiles that reach past Ho/Wo (odd sizes)
// read an extra padded row/column (offset_x, defined) and their extra outputs are dropped.

import { pf, pp } from "./plan";
import {
  P_N, P_CIN, P_COUT, P_HO, P_WO, P_CS, P_WP, P_NCB, P_WPACK, P_PB, P_CBG, P_NPB, P_SCRATCH,
  P_SCRATCH_STRIDE, P_BIASV, P_SCALEV, P_OUT,
} from "../src/abi";
import { f16NormalLanes, toF16 } from "./f16";
import { scaled, storeGroup } from "./epilogue";
import { prepRowNHWCAt } from "./prep";

/** Packs int8 OIHW 3x3 weights as U' in [cb][pos][c pair][16 channels][2] int16. */
export function packWinograd(plan: usize, src: usize): void {
  const cin = pf(plan, P_CIN), cout = pf(plan, P_COUT), cs = pf(plan, P_CS), ncb = pf(plan, P_NCB);
  const dst = pp(plan, P_WPACK);
  const bytes = <usize>ncb * <usize>cs * 512;
  for (let i: usize = 0; i < bytes; i += 16) v128.store(dst + i, i32x4.splat(0));
  const pairs = cs >> 1;
  for (let o = 0; o < cout; o++) {
    const cb = o >> 4, j = o & 15;
    for (let c = 0; c < cin; c++) {
      const g = src + <usize>((o * cin + c) * 9);
      // t = G' g (4 x 3)
      const g00 = <i32>load<i8>(g), g01 = <i32>load<i8>(g, 1), g02 = <i32>load<i8>(g, 2);
      const g10 = <i32>load<i8>(g, 3), g11 = <i32>load<i8>(g, 4), g12 = <i32>load<i8>(g, 5);
      const g20 = <i32>load<i8>(g, 6), g21 = <i32>load<i8>(g, 7), g22 = <i32>load<i8>(g, 8);
      for (let r = 0; r < 4; r++) {
        let t0: i32, t1: i32, t2: i32;
        if (r == 0) { t0 = 2 * g00; t1 = 2 * g01; t2 = 2 * g02; }
        else if (r == 1) { t0 = g00 + g10 + g20; t1 = g01 + g11 + g21; t2 = g02 + g12 + g22; }
        else if (r == 2) { t0 = g00 - g10 + g20; t1 = g01 - g11 + g21; t2 = g02 - g12 + g22; }
        else { t0 = 2 * g20; t1 = 2 * g21; t2 = 2 * g22; }
        // U' row r = t_row G'^T
        const u0 = 2 * t0, u1 = t0 + t1 + t2, u2 = t0 - t1 + t2, u3 = 2 * t2;
        for (let q = 0; q < 4; q++) {
          const val = q == 0 ? u0 : q == 1 ? u1 : q == 2 ? u2 : u3;
          const pos = r * 4 + q;
          const off = ((((cb * 16 + pos) * pairs + (c >> 1)) * 16 + j) * 2 + (c & 1)) << 1;
          store<i16>(dst + <usize>off, <i16>val);
        }
      }
    }
  }
}

/** V = B^T d B for 8 channels of one tile: src = pixel (0,0) of the tile; 16 outputs vPos apart. */
// @ts-ignore: decorator
@inline function inputTransform8(src: usize, rowB: usize, pixB: usize, dst: usize, vPos: usize): void {
  // Per input row: e[r][*] = d[r][*] B (horizontal), then per column the vertical B^T.
  let p = src;
  let d0 = v128.load(p), d1 = v128.load(p + pixB), d2 = v128.load(p + 2 * pixB), d3 = v128.load(p + 3 * pixB);
  const e00 = i16x8.sub(d0, d2), e01 = i16x8.add(d1, d2), e02 = i16x8.sub(d2, d1), e03 = i16x8.sub(d1, d3);
  p += rowB;
  d0 = v128.load(p); d1 = v128.load(p + pixB); d2 = v128.load(p + 2 * pixB); d3 = v128.load(p + 3 * pixB);
  const e10 = i16x8.sub(d0, d2), e11 = i16x8.add(d1, d2), e12 = i16x8.sub(d2, d1), e13 = i16x8.sub(d1, d3);
  p += rowB;
  d0 = v128.load(p); d1 = v128.load(p + pixB); d2 = v128.load(p + 2 * pixB); d3 = v128.load(p + 3 * pixB);
  const e20 = i16x8.sub(d0, d2), e21 = i16x8.add(d1, d2), e22 = i16x8.sub(d2, d1), e23 = i16x8.sub(d1, d3);
  // Rows 0 and 2 of V need e2; finish what uses e0 first to free registers.
  v128.store(dst, i16x8.sub(e00, e20));
  v128.store(dst + vPos, i16x8.sub(e01, e21));
  v128.store(dst + 2 * vPos, i16x8.sub(e02, e22));
  v128.store(dst + 3 * vPos, i16x8.sub(e03, e23));
  v128.store(dst + 4 * vPos, i16x8.add(e10, e20));
  v128.store(dst + 5 * vPos, i16x8.add(e11, e21));
  v128.store(dst + 6 * vPos, i16x8.add(e12, e22));
  v128.store(dst + 7 * vPos, i16x8.add(e13, e23));
  v128.store(dst + 8 * vPos, i16x8.sub(e20, e10));
  v128.store(dst + 9 * vPos, i16x8.sub(e21, e11));
  v128.store(dst + 10 * vPos, i16x8.sub(e22, e12));
  v128.store(dst + 11 * vPos, i16x8.sub(e23, e13));
  p += rowB;
  d0 = v128.load(p); d1 = v128.load(p + pixB); d2 = v128.load(p + 2 * pixB); d3 = v128.load(p + 3 * pixB);
  v128.store(dst + 12 * vPos, i16x8.sub(e10, i16x8.sub(d0, d2)));
  v128.store(dst + 13 * vPos, i16x8.sub(e11, i16x8.add(d1, d2)));
  v128.store(dst + 14 * vPos, i16x8.sub(e12, i16x8.sub(d2, d1)));
  v128.store(dst + 15 * vPos, i16x8.sub(e13, i16x8.sub(d1, d3)));
}

/**
 * 2 tiles x 16 channels over all channel pairs; raw int32 sums to m0, m1 (64 bytes each).
 * The same register-blocked loop as gemm.ts's `tile`, kept separate on purpose: its eight
 * accumulators must stay in registers, and an inlined helper cannot hand eight v128 values
 * back to two different epilogues (raw sums here, float16 there) without spilling them.
 */
// @ts-ignore: decorator
@inline function gemmTile(a0: usize, a1: usize, w: usize, pairs: i32, m0: usize, m1: usize): void {
  let c00 = i32x4.splat(0), c01 = i32x4.splat(0), c02 = i32x4.splat(0), c03 = i32x4.splat(0);
  let c10 = i32x4.splat(0), c11 = i32x4.splat(0), c12 = i32x4.splat(0), c13 = i32x4.splat(0);
  for (let q = 0; q < pairs; q++) {
    const w0 = v128.load(w), w1 = v128.load(w, 16), w2 = v128.load(w, 32), w3 = v128.load(w, 48);
    let x = v128.load32_splat(a0);
    c00 = i32x4.add(c00, i32x4.dot_i16x8_s(x, w0));
    c01 = i32x4.add(c01, i32x4.dot_i16x8_s(x, w1));
    c02 = i32x4.add(c02, i32x4.dot_i16x8_s(x, w2));
    c03 = i32x4.add(c03, i32x4.dot_i16x8_s(x, w3));
    x = v128.load32_splat(a1);
    c10 = i32x4.add(c10, i32x4.dot_i16x8_s(x, w0));
    c11 = i32x4.add(c11, i32x4.dot_i16x8_s(x, w1));
    c12 = i32x4.add(c12, i32x4.dot_i16x8_s(x, w2));
    c13 = i32x4.add(c13, i32x4.dot_i16x8_s(x, w3));
    a0 += 4; a1 += 4;
    w += 64;
  }
  v128.store(m0, c00); v128.store(m0, c01, 16); v128.store(m0, c02, 32); v128.store(m0, c03, 48);
  v128.store(m1, c10); v128.store(m1, c11, 16); v128.store(m1, c12, 32); v128.store(m1, c13, 48);
}

/** One 2x2 output tile of 4 channels (y<row><col>, scaled) to float16; row 1 only if `row2`. */
// @ts-ignore: decorator
@inline function storeTile(
  y00: v128, y01: v128, y10: v128, y11: v128, normal: bool,
  out: usize, hwo: i32, wo: i32, ch: i32, cout: i32, cnt: i32, row2: bool,
): void {
  storeGroup(toF16(y00, normal), toF16(y01, normal), out, <usize>hwo, ch, cout, cnt);
  if (row2) storeGroup(toF16(y10, normal), toF16(y11, normal), out + (<usize>wo << 1), <usize>hwo, ch, cout, cnt);
}

/**
 * Work chunk `id` = (channel-block group * N + n) * NPB + tile block: channel groups outermost,
 * so a thread's contiguous range of chunks (pool.ts) covers whole groups where it can, and
 * threads then write disjoint output planes and read disjoint weights.
 */
export function winogradChunk(plan: usize, id: i32, tid: i32): void {
  const ntb = pf(plan, P_NPB);
  const tb = id % ntb;
  const t = id / ntb;
  const n = t % pf(plan, P_N);
  const cbg = t / pf(plan, P_N);
  const ho = pf(plan, P_HO), wo = pf(plan, P_WO);
  const hwo = ho * wo;
  const tw = (wo + 1) >> 1, th = (ho + 1) >> 1;
  const tbSize = pf(plan, P_PB);
  const t0 = tb * tbSize;
  const cntT = min(t0 + tbSize, th * tw) - t0;
  const cbPer = pf(plan, P_CBG);
  const cb0 = cbg * cbPer;
  const cb1 = min(cb0 + cbPer, pf(plan, P_NCB));
  const cout = pf(plan, P_COUT);
  const cs = pf(plan, P_CS), wp = pf(plan, P_WP);
  const pixB = <usize>cs << 1;
  const rowB = <usize>wp * pixB;
  const vPos = <usize>((tbSize + 1) & ~1) * pixB; // bytes per position: all tiles of the block
  const V = pp(plan, P_SCRATCH) + <usize>tid * <usize>pf(plan, P_SCRATCH_STRIDE);
  const M = V + 16 * vPos;
  // The padded rows this block reads, made here in this thread's scratch (no shared padded
  // copy: reading rows another thread wrote costs more than re-making the 2 overlap rows).
  const band = M + (<usize>((tbSize + 1) & ~1) << 10);
  const ty0 = t0 / tw;
  const bandRows = 2 * ((t0 + cntT - 1) / tw - ty0) + 4;
  for (let r = 0; r < bandRows; r++) prepRowNHWCAt(plan, n, 2 * ty0 + r, band + <usize>r * rowB);

  // Input transform of the block: V[pos][tile][c].
  for (let i = 0; i < cntT; i++) {
    const tt = t0 + i;
    const ty = tt / tw, tx = tt - ty * tw;
    const src = band + <usize>(2 * (ty - ty0)) * rowB + <usize>(2 * tx) * pixB;
    const dst = V + <usize>i * pixB;
    for (let c = 0; c < cs; c += 8) inputTransform8(src + (<usize>c << 1), rowB, pixB, dst + (<usize>c << 1), vPos);
  }

  const pairs = cs >> 1;
  const wpack = pp(plan, P_WPACK);
  const wPos = <usize>pairs << 6; // one position of one channel block
  const out = pp(plan, P_OUT) + (<usize>(n * cout * hwo) << 1);
  const biasv = pp(plan, P_BIASV), scalev = pp(plan, P_SCALEV);
  for (let cb = cb0; cb < cb1; cb++) {
    // 16 GEMMs: M[tile][pos][16 channels] int32.
    const wcb = wpack + <usize>(cb * 16) * wPos;
    for (let pos = 0; pos < 16; pos++) {
      const w = wcb + <usize>pos * wPos;
      const a = V + <usize>pos * vPos;
      const m = M + (<usize>pos << 6);
      for (let i = 0; i < cntT; i += 2) {
        const a0 = a + <usize>i * pixB;
        const second = i + 1 < cntT;
        gemmTile(a0, second ? a0 + pixB : a0, w, pairs, m + (<usize>i << 10), m + (<usize>(i + 1) << 10));
      }
    }
    // Output transform + epilogue.
    const ch = cb << 4;
    const outCb = out + (<usize>(ch * hwo) << 1);
    for (let i = 0; i < cntT; i++) {
      const tt = t0 + i;
      const ty = tt / tw, tx = tt - ty * tw;
      const oh = 2 * ty, ow = 2 * tx;
      const cnt = ow + 1 < wo ? 2 : 1;
      const row2 = oh + 1 < ho;
      const o0 = outCb + (<usize>(oh * wo + ow) << 1);
      const mt = M + (<usize>i << 10);
      for (let j = 0; j < 4; j++) {
        const m = mt + (<usize>j << 4);
        // T = A^T M: rows r0 = m0 + m1 + m2, r1 = m1 - m2 - m3 (m_r = position row r).
        const m00 = v128.load(m), m01 = v128.load(m, 64), m02 = v128.load(m, 128), m03 = v128.load(m, 192);
        const m10 = v128.load(m, 256), m11 = v128.load(m, 320), m12 = v128.load(m, 384), m13 = v128.load(m, 448);
        const m20 = v128.load(m, 512), m21 = v128.load(m, 576), m22 = v128.load(m, 640), m23 = v128.load(m, 704);
        const s0 = i32x4.add(i32x4.add(m00, m10), m20);
        const s1 = i32x4.add(i32x4.add(m01, m11), m21);
        const s2 = i32x4.add(i32x4.add(m02, m12), m22);
        const s3 = i32x4.add(i32x4.add(m03, m13), m23);
        const m30 = v128.load(m, 768), m31 = v128.load(m, 832), m32 = v128.load(m, 896), m33 = v128.load(m, 960);
        const r0 = i32x4.sub(i32x4.sub(m10, m20), m30);
        const r1 = i32x4.sub(i32x4.sub(m11, m21), m31);
        const r2 = i32x4.sub(i32x4.sub(m12, m22), m32);
        const r3 = i32x4.sub(i32x4.sub(m13, m23), m33);
        // Y' = T A; acc = Y' >> 2 exactly (see the header). Row 1 of a tile past Ho is
        // computed too (defined data, never stored) so one range test covers the tile.
        const b = v128.load(biasv + (<usize>(ch + 4 * j) << 2)), sc = v128.load(scalev + (<usize>(ch + 4 * j) << 2));
        const y00 = scaled(i32x4.shr_s(i32x4.add(i32x4.add(s0, s1), s2), 2), b, sc);
        const y01 = scaled(i32x4.shr_s(i32x4.sub(i32x4.sub(s1, s2), s3), 2), b, sc);
        const y10 = scaled(i32x4.shr_s(i32x4.add(i32x4.add(r0, r1), r2), 2), b, sc);
        const y11 = scaled(i32x4.shr_s(i32x4.sub(i32x4.sub(r1, r2), r3), 2), b, sc);
        const oj = o0 + (<usize>(4 * j * hwo) << 1);
        const lanes = v128.and(v128.and(f16NormalLanes(y00), f16NormalLanes(y01)), v128.and(f16NormalLanes(y10), f16NormalLanes(y11)));
        if (i32x4.all_true(lanes)) storeTile(y00, y01, y10, y11, true, oj, hwo, wo, ch + 4 * j, cout, cnt, row2);
        else storeTile(y00, y01, y10, y11, false, oj, hwo, wo, ch + 4 * j, cout, cnt, row2);
      }
    }
  }
}
