// Phase 2 for MODE_PLANE (few output channels, stride_w 1, like shape F: 1 -> 1 channel).
// A GEMM tile of 8 channels would waste most lanes, so here the lanes are 16 consecutive
// output pixels of one channel: for every tap (c, u, v) load 16 int16 inputs from the padded
// plane, multiply by the tap's weight (pre-splatted when packing) with i32x4.extmul, add.

import { pf, pp } from "./plan";
import {
  P_CIN, P_COUT, P_KH, P_KW, P_SH, P_DH, P_DW, P_HO, P_WO, P_HP, P_WP, P_PAD, P_WPACK, P_BIASV,
  P_SCALEV, P_OUT, P_TMP,
} from "../src/abi";
import { epilogue } from "./epilogue";

/** Work chunk `id` = (n * COUT + o) * HO + oh: one output row. */
export function planeChunk(plan: usize, id: i32, tid: i32): void {
  const ho = pf(plan, P_HO), wo = pf(plan, P_WO), cout = pf(plan, P_COUT), cin = pf(plan, P_CIN);
  const oh = id % ho;
  const no = id / ho;
  const o = no % cout;
  const n = no / cout;
  const kh = pf(plan, P_KH), kw = pf(plan, P_KW), sh = pf(plan, P_SH);
  const dh = pf(plan, P_DH), dw = pf(plan, P_DW);
  const hp = pf(plan, P_HP), wps = pf(plan, P_WP);
  const taps = cin * kh * kw;
  const wo16 = pp(plan, P_WPACK) + (<usize>(o * taps) << 4);
  const bias = v128.load32_splat(pp(plan, P_BIASV) + (<usize>o << 2));
  const scale = v128.load32_splat(pp(plan, P_SCALEV) + (<usize>o << 2));
  const out = pp(plan, P_OUT) + (<usize>(no * ho * wo + oh * wo) << 1);
  const tmp = pp(plan, P_TMP) + (<usize>tid << 6);
  const rowBytes = <usize>wps << 1;
  const planeBase = pp(plan, P_PAD) + <usize>(n * cin * hp) * rowBytes + <usize>(oh * sh) * rowBytes;
  const vStep = <usize>dw << 1;
  for (let ow = 0; ow < wo; ow += 16) {
    let a0 = i32x4.splat(0), a1 = i32x4.splat(0), a2 = i32x4.splat(0), a3 = i32x4.splat(0);
    let w = wo16;
    for (let c = 0; c < cin; c++) {
      const cBase = planeBase + <usize>(c * hp) * rowBytes + (<usize>ow << 1);
      for (let u = 0; u < kh; u++) {
        let x = cBase + <usize>(u * dh) * rowBytes;
        for (let v = 0; v < kw; v++) {
          const wt = v128.load(w);
          const x0 = v128.load(x), x1 = v128.load(x, 16);
          a0 = i32x4.add(a0, i32x4.extmul_low_i16x8_s(x0, wt));
          a1 = i32x4.add(a1, i32x4.extmul_high_i16x8_s(x0, wt));
          a2 = i32x4.add(a2, i32x4.extmul_low_i16x8_s(x1, wt));
          a3 = i32x4.add(a3, i32x4.extmul_high_i16x8_s(x1, wt));
          x += vStep;
          w += 16;
        }
      }
    }
    const lo = i16x8.narrow_i32x4_u(epilogue(a0, bias, scale), epilogue(a1, bias, scale));
    const hi = i16x8.narrow_i32x4_u(epilogue(a2, bias, scale), epilogue(a3, bias, scale));
    const dst = out + (<usize>ow << 1);
    if (ow + 16 <= wo) {
      v128.store(dst, lo);
      v128.store(dst, hi, 16);
    } else {
      v128.store(tmp, lo);
      v128.store(tmp, hi, 16);
      const cnt = wo - ow;
      for (let j = 0; j < cnt; j++) store<u16>(dst + (<usize>j << 1), load<u16>(tmp + (<usize>j << 1)));
    }
  }
}
