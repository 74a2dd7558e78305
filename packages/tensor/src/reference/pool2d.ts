// Reference kernels of max_pool2d and avg_pool2d (schemas: tensor/src/ops/pool2d.ts). Every
// (N, C) plane pools on its own; windows are clipped to the input (max: padding is -inf;
// avg: the divisor follows torch's countIncludePad / divisorOverride rules).

import { avgPool2dOp, maxPool2dOp, type Pool2dGeometry } from "../ops/pool2d.js";
import { int64 } from "../dtype.js";
import type { KernelOf } from "../dispatch/registry.js";
import { referenceKernel, type ReferenceKernel } from "./kernel.js";
import { fromNumbers, fromRaw, readBigInts, readNumbers } from "./values.js";

/** Calls `window(plane, h0, w0)` for every output cell in row-major order; (h0, w0) is the window's top-left in input coordinates (negative inside padding). */
function forEachWindow(
  g: Pool2dGeometry,
  window: (plane: number, h0: number, w0: number) => void,
): void {
  for (let p = 0; p < g.planes; p++) {
    for (let oh = 0; oh < g.hOut; oh++) {
      for (let ow = 0; ow < g.wOut; ow++)
        window(p, oh * g.strideH - g.padH, ow * g.strideW - g.padW);
    }
  }
}

/** Max of each window, NaN propagating (torch: `val > max || isnan(val)`). */
function maxPool<T extends number | bigint>(
  g: Pool2dGeometry,
  x: ArrayLike<T>,
  out: { [k: number]: T },
  lowest: T,
): void {
  let o = 0;
  forEachWindow(g, (p, h0, w0) => {
    let best = lowest;
    for (let i = 0; i < g.kh; i++) {
      const ih = h0 + i * g.dilationH;
      if (ih < 0 || ih >= g.h) continue;
      for (let j = 0; j < g.kw; j++) {
        const iw = w0 + j * g.dilationW;
        if (iw < 0 || iw >= g.w) continue;
        const v = x[(p * g.h + ih) * g.w + iw]!;
        if (v > best || v !== v) best = v;
      }
    }
    out[o++] = best;
  });
}

const maxPool2dKernel: KernelOf<typeof maxPool2dOp> = {
  run: ({ input }, _attrs, [spec], g) => {
    const count = g.planes * g.hOut * g.wOut;
    if (input.dtype === int64) {
      const out = new BigInt64Array(count);
      maxPool(g, readBigInts(input), out, -(1n << 63n));
      return [fromRaw(out, spec, input.device)];
    }
    const out = new Float64Array(count);
    maxPool(g, readNumbers(input), out, -Infinity);
    return [fromNumbers(out, spec, input.device)];
  },
};

const avgPool2dKernel: KernelOf<typeof avgPool2dOp> = {
  run: ({ input }, attrs, [spec], g) => {
    const x = readNumbers(input);
    const out = new Float64Array(g.planes * g.hOut * g.wOut);
    let o = 0;
    forEachWindow(g, (p, h0, w0) => {
      // The window clipped to input plus padding sets countIncludePad's divisor; clipped to the input, the sum.
      const hEnd = Math.min(h0 + g.kh, g.h + g.padH);
      const wEnd = Math.min(w0 + g.kw, g.w + g.padW);
      const paddedSize = (hEnd - h0) * (wEnd - w0);
      const [hs, ws, he, we] = [
        Math.max(h0, 0),
        Math.max(w0, 0),
        Math.min(hEnd, g.h),
        Math.min(wEnd, g.w),
      ];
      let sum = 0;
      for (let ih = hs; ih < he; ih++)
        for (let iw = ws; iw < we; iw++) sum += x[(p * g.h + ih) * g.w + iw]!;
      const divisor =
        attrs.divisorOverride ?? (attrs.countIncludePad ? paddedSize : (he - hs) * (we - ws));
      out[o++] = he > hs && we > ws ? sum / divisor : 0;
    });
    return [fromNumbers(out, spec, input.device)];
  },
};

export const pool2dKernels: readonly ReferenceKernel[] = [
  referenceKernel(maxPool2dOp, maxPool2dKernel),
  referenceKernel(avgPool2dOp, avgPool2dKernel),
];
