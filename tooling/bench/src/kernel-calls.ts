// Direct calls of the wasm QuantConv2d kernel (WasmRuntime.quantConv2d, no tensors, no per-call
// JS), shared by wasm-scaling.ts (1 vs 2 threads) and wasm-ab.ts (baseline vs current build),
// which time them with measure.ts's timeSideBySide.

import type { WasmRuntime } from "@tsnpu/backend-wasm";
import { quantConv2dGeometry } from "@tsnpu/tensor";
import { seededProblem, type ConvShape } from "./shapes.js";

/** The kernel's geometry for shape `s` (dilation 1, offset_x 0). */
function geometryOf(s: ConvShape) {
  return quantConv2dGeometry({
    n: s.n,
    cin: s.cin,
    h: s.h,
    w: s.w,
    cout: s.cout,
    kh: s.k,
    kw: s.k,
    strideH: s.stride,
    strideW: s.stride,
    padH: s.pad,
    padW: s.pad,
    dilationH: 1,
    dilationW: 1,
    offsetX: 0,
  });
}

/** A call of shape `s` on `rt` with the seeded data, all buffers allocated once, and a copy of its output. */
export function prepareKernelCall(
  rt: WasmRuntime,
  s: ConvShape,
): { call: () => void; output: () => Uint16Array } {
  const g = geometryOf(s);
  const p = seededProblem(s);
  const packed = rt.packQuantConv2dWeights(g, p.weight);
  const [x, bias, scale] = [rt.upload(p.input), rt.upload(p.bias), rt.upload(p.scale)];
  const length = s.n * s.cout * g.hOut * g.wOut;
  const out = rt.alloc(length * 2);
  return {
    call: () => rt.quantConv2d(g, x, packed, bias, scale, out),
    output: () => new Uint16Array(rt.memory.buffer, out, length).slice(),
  };
}
