// One work chunk of an element-wise plan (MODE_ELTWISE, fields E_* in src/abi.ts) run on the
// thread pool: the same single-thread loops over a sub-range, so results do not depend on the
// thread count. Elements split at multiples of EW_CHUNK (the JS side keeps it a multiple of 16).

import {
  DTYPE_I32, EW_ALPHA, EW_CHUNK, EW_DIV, EW_DST, EW_DTYPE, EW_GEOM, EW_HI, EW_ITEMS, EW_KIND, EW_LO, EW_OP, EW_PARAMS,
  EW_RELU, EW_SCALAR, EW_SRC, EW_SRC2, ELT_BINARY, ELT_CAST_F16_F32, ELT_CAST_F32_F16, ELT_MAX_POOL, ELT_QUANTIZE,
  ELT_RELU, ACT_NONE, ELT_COPY,
} from "../../src/abi";
import { pf, pp } from "../plan";
import { binary } from "./binary";
import { castF16ToF32, castF32ToF16 } from "./cast";
import { copyRows } from "./copy";
import { elementSize } from "./lanes";
import { maxPool2dRows } from "./max-pool2d";
import { quantize } from "./quantize";
import { relu } from "./unary";

/** Bytes per element of a quantize output dtype code (int32: 4, int8/uint8: 1). */
// @ts-ignore: decorator
@inline function outSize(dtype: i32): usize {
  return dtype == DTYPE_I32 ? 4 : 1;
}

export function eltwiseChunk(plan: usize, c: i32): void {
  const items = pf(plan, EW_ITEMS), per = pf(plan, EW_CHUNK);
  const start = c * per;
  const n = min(per, items - start);
  const kind = pf(plan, EW_KIND), dtype = pf(plan, EW_DTYPE);
  const src = pp(plan, EW_SRC), dst = pp(plan, EW_DST);
  const at = <usize>start;
  if (kind == ELT_BINARY) {
    const size = elementSize(dtype);
    const b = pp(plan, EW_SRC2);
    const out = dst + at * size;
    binary(pf(plan, EW_OP), dtype, src + at * size, b ? b + at * size : 0, out, n,
      load<f64>(plan + (<usize>EW_ALPHA << 2)), load<f64>(plan + (<usize>EW_SCALAR << 2)));
    if (pf(plan, EW_RELU)) relu(dtype, out, out, n);
  } else if (kind == ELT_RELU) {
    const size = elementSize(dtype);
    relu(dtype, src + at * size, dst + at * size, n);
  } else if (kind == ELT_QUANTIZE) {
    const outDtype = pf(plan, EW_OP);
    quantize(dtype, src + at * elementSize(dtype), outDtype, dst + at * outSize(outDtype), 1, 1, n,
      pp(plan, EW_PARAMS), pf(plan, EW_DIV), pf(plan, EW_LO), pf(plan, EW_HI), ACT_NONE, 0, 0);
  } else if (kind == ELT_CAST_F32_F16) {
    castF32ToF16(src + (at << 2), dst + (at << 1), n);
  } else if (kind == ELT_CAST_F16_F32) {
    castF16ToF32(src + (at << 1), dst + (at << 2), n);
  } else if (kind == ELT_MAX_POOL) {
    const g = EW_GEOM;
    maxPool2dRows(dtype, src, dst, pf(plan, g), pf(plan, g + 1), pf(plan, g + 2), pf(plan, g + 3), pf(plan, g + 4),
      pf(plan, g + 5), pf(plan, g + 6), pf(plan, g + 7), pf(plan, g + 8), pf(plan, g + 9), pf(plan, g + 10),
      pf(plan, g + 11), pf(plan, g + 12), start, start + n);
  } else if (kind == ELT_COPY) {
    // EW_DTYPE: element bytes; EW_GEOM: n1, n2, n3, then the source's and the destination's strides.
    const g = EW_GEOM;
    copyRows(dtype, src, dst, pf(plan, g), pf(plan, g + 1), pf(plan, g + 2), pf(plan, g + 3), pf(plan, g + 4),
      pf(plan, g + 5), pf(plan, g + 6), pf(plan, g + 7), pf(plan, g + 8), pf(plan, g + 9), pf(plan, g + 10),
      start, start + n);
  }
}
