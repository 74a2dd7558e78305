// The plan of a float conv2d call (assembly/conv-float.ts, run by the thread pool as
// MODE_FLOAT_CONV): the geometry the meta function derived and the call's pointers. One plan
// per runtime is reused: calls are synchronous, so no two are in flight.

import type { Conv2dGeometry } from "@tsnpu/tensor";
import {
  MODE_FLOAT_CONV,
  P_CIN,
  P_COUT,
  P_DH,
  P_DW,
  P_GROUPS,
  P_H,
  P_HO,
  P_IN,
  P_BIAS,
  P_KH,
  P_KW,
  P_MODE,
  P_N,
  P_ODTYPE,
  P_OUT,
  P_PH,
  P_PREP_CHUNKS,
  P_PW,
  P_SH,
  P_SW,
  P_W,
  P_WO,
  P_WORK_CHUNKS,
  P_WPACK,
} from "../abi.js";

/** Pointers of one call: float32 NCHW input, float32 OIHW weights, float32 bias or 0, the output. */
export interface FloatConvPointers {
  readonly input: number;
  readonly weight: number;
  readonly bias: number;
  readonly out: number;
}

/** Writes the plan fields of a call into `plan` (a view of PLAN_FIELDS i32); returns its multiply-adds. */
export function writeFloatConvPlan(
  plan: Int32Array,
  g: Conv2dGeometry,
  p: FloatConvPointers,
  outDtype: number,
): number {
  plan[P_MODE] = MODE_FLOAT_CONV;
  plan[P_N] = g.n;
  plan[P_CIN] = g.cin;
  plan[P_H] = g.h;
  plan[P_W] = g.w;
  plan[P_COUT] = g.cout;
  plan[P_KH] = g.kh;
  plan[P_KW] = g.kw;
  plan[P_SH] = g.strideH;
  plan[P_SW] = g.strideW;
  plan[P_PH] = g.padTop;
  plan[P_PW] = g.padLeft;
  plan[P_DH] = g.dilationH;
  plan[P_DW] = g.dilationW;
  plan[P_HO] = g.hOut;
  plan[P_WO] = g.wOut;
  plan[P_GROUPS] = g.groups;
  plan[P_ODTYPE] = outDtype;
  plan[P_IN] = p.input;
  plan[P_WPACK] = p.weight;
  plan[P_BIAS] = p.bias;
  plan[P_OUT] = p.out;
  plan[P_PREP_CHUNKS] = 0;
  // One chunk per (image, block of 4 output channels, output row).
  plan[P_WORK_CHUNKS] = g.n * Math.ceil(g.cout / 4) * g.hOut;
  return g.n * g.cout * g.hOut * g.wOut * (g.cin / g.groups) * g.kh * g.kw;
}
