// Shared test plumbing: geometry from shapes, and running one QuantConv2d through a runtime.
import type { QuantConv2dGeometry } from "@tsnpu/tensor";
import type { WasmRuntime } from "../src/index.js";

export function geometry(
  input: readonly number[], weight: readonly number[], stride: readonly [number, number],
  pad: readonly [number, number], dil: readonly [number, number], offsetX: number,
): QuantConv2dGeometry {
  const [n, cin, h, w] = input as [number, number, number, number];
  const [cout, , kh, kw] = weight as [number, number, number, number];
  const hOut = Math.floor((h + 2 * pad[0] - dil[0] * (kh - 1) - 1) / stride[0]) + 1;
  const wOut = Math.floor((w + 2 * pad[1] - dil[1] * (kw - 1) - 1) / stride[1]) + 1;
  return {
    n, cin, h, w, cout, kh, kw, strideH: stride[0], strideW: stride[1], padH: pad[0], padW: pad[1],
    dilationH: dil[0], dilationW: dil[1], hOut, wOut, offsetX,
  };
}

/** Runs one call with fresh buffers; returns the float16 bits. */
export function runOnce(
  rt: WasmRuntime, g: QuantConv2dGeometry, input: Int8Array, weight: Int8Array, bias: Int32Array | null, scale: Float32Array,
): Uint16Array {
  const packed = rt.packQuantConv2dWeights(g, weight);
  const x = rt.upload(input);
  const b = bias ? rt.upload(bias) : 0;
  const s = rt.upload(scale);
  const outLen = g.n * g.cout * g.hOut * g.wOut;
  const o = rt.alloc(outLen * 2);
  rt.quantConv2d(g, x, packed, b, s, o);
  const result = rt.view(Uint16Array, o, outLen).slice();
  for (const p of [x, s, o]) rt.free(p);
  if (b) rt.free(b);
  rt.freePacked(packed);
  return result;
}

export { firstBitMismatch as firstMismatch } from "@tsnpu/conformance";
