// Weight packing, once per handle (never per call): int8 OIHW -> sign-extended int16 in the
// order the kernels walk K, so the inner loops are plain sequential loads.

import { pf, pp } from "./plan";
import {
  P_MODE, P_CIN, P_COUT, P_KH, P_KW, P_CS, P_KP, P_NSEG, P_SEGLEN, P_NCB, P_WPACK, P_SEGKIND,
  P_K, MODE_PLANE, MODE_STEM, MODE_WINOGRAD, MODE_POINTWISE, SEG_ROW, SEG_TAP,
} from "../src/abi";
import { packWinograd } from "./winograd";

/** Packs `src` (int8, COUT x CIN x KH x KW) into the plan's P_WPACK buffer. */
export function packWeights(plan: usize, src: usize): void {
  const cin = pf(plan, P_CIN), cout = pf(plan, P_COUT), kh = pf(plan, P_KH), kw = pf(plan, P_KW);
  const dst = pp(plan, P_WPACK);
  if (pf(plan, P_MODE) == MODE_WINOGRAD) {
    packWinograd(plan, src);
    return;
  }
  if (pf(plan, P_MODE) == MODE_POINTWISE) {
    // [channel quad][input channel pair q][4 channels] as int16 pairs (w[o][2q], w[o][2q+1]);
    // the inner loop splats each pair with its load (v128.load32_splat: as fast as loading
    // pre-splat vectors, a quarter of the bytes in cache).
    const kq = pf(plan, P_KP);
    const quads = (cout + 3) >> 2;
    let d = dst;
    for (let cq = 0; cq < quads; cq++) {
      for (let q = 0; q < kq; q++) {
        for (let j = 0; j < 4; j++) {
          const o = cq * 4 + j;
          for (let e = 0; e < 2; e++) {
            const c = 2 * q + e;
            store<i16>(d, o < cout && c < cin ? <i16>load<i8>(src + <usize>(o * cin + c)) : 0);
            d += 2;
          }
        }
      }
    }
    return;
  }
  if (pf(plan, P_MODE) == MODE_STEM) {
    packStem(plan, src, dst);
    return;
  }
  if (pf(plan, P_MODE) == MODE_PLANE) {
    // [o][c][u][v] as i16x8 splats.
    const taps = cin * kh * kw;
    for (let o = 0; o < cout; o++) {
      for (let t = 0; t < taps; t++) {
        v128.store(dst + (<usize>(o * taps + t) << 4), i16x8.splat(<i16>load<i8>(src + <usize>(o * taps + t))));
      }
    }
    return;
  }
  // [cb][K pair][16 channels][2]: K pair q of run s holds elements t = 2q, 2q+1 of that run.
  const ncb = pf(plan, P_NCB), nseg = pf(plan, P_NSEG), seglen = pf(plan, P_SEGLEN);
  const cs = pf(plan, P_CS), kind = pf(plan, P_SEGKIND), kTrue = pf(plan, P_K);
  const kp = pf(plan, P_KP);
  let d = dst;
  for (let cb = 0; cb < ncb; cb++) {
    for (let s = 0; s < nseg; s++) {
      for (let t0 = 0; t0 < seglen; t0 += 2) {
        for (let j = 0; j < 16; j++) {
          const o = cb * 16 + j;
          for (let e = 0; e < 2; e++) {
            const t = t0 + e;
            let c: i32, u: i32, v: i32;
            let valid = o < cout;
            if (kind == SEG_ROW) {
              u = s; v = t / cs; c = t - v * cs;
              valid = valid && v < kw; // the extra element of an odd-length run
            } else if (kind == SEG_TAP) {
              u = s / kw; v = s - u * kw; c = t;
            } else {
              valid = valid && t < kTrue;
              c = t % cin; const uv = t / cin; u = uv / kw; v = uv - u * kw;
            }
            valid = valid && c < cin;
            const val: i16 = valid ? <i16>load<i8>(src + <usize>(((o * cin + c) * kh + u) * kw + v)) : 0;
            store<i16>(d, val);
            d += 2;
          }
        }
      }
    }
  }
  // Silence "unused" for kp: the JS side sized the buffer as NCB * KP * 32 bytes.
  if (d != dst + <usize>ncb * (<usize>kp << 5)) unreachable();
}

/** The 4-byte weight pair (a, b) of output channel o (zeros past Cout) at d. */
// @ts-ignore: decorator
@inline function storePair(d: usize, src: usize, o: i32, cout: i32, a: i32, b: i32): void {
  store<i16>(d, o < cout && a >= 0 ? <i16>load<i8>(src + <usize>a) : 0);
  store<i16>(d, o < cout && b >= 0 ? <i16>load<i8>(src + <usize>b) : 0, 2);
}

/**
 * MODE_STEM (stem.ts): [channel quad][step][4 channels] int16 pairs, in the kernel's step order:
 * every kernel row r = c * KH + u's tap pairs (2p, 2p+1), then (odd KW) the last taps of rows
 * (2i, 2i+1), the second 0 for a last unpaired row.
 */
function packStem(plan: usize, src: usize, dst: usize): void {
  const cin = pf(plan, P_CIN), cout = pf(plan, P_COUT), kh = pf(plan, P_KH), kw = pf(plan, P_KW);
  const rows = cin * kh, half = kw >> 1;
  let d = dst;
  for (let cq = 0; cq < (cout + 3) >> 2; cq++) {
    for (let r = 0; r < rows; r++) {
      for (let p = 0; p < half; p++) {
        for (let j = 0; j < 4; j++) {
          const o = cq * 4 + j, t = (o * rows + r) * kw + 2 * p;
          storePair(d, src, o, cout, t, t + 1);
          d += 4;
        }
      }
    }
    if ((kw & 1) == 0) continue;
    for (let r = 0; r < rows; r += 2) {
      for (let j = 0; j < 4; j++) {
        const o = cq * 4 + j, t = (o * rows + r) * kw + kw - 1;
        storePair(d, src, o, cout, t, r + 1 < rows ? t + kw : -1);
        d += 4;
      }
    }
  }
}
