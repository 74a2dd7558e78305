// wasm kernel of npu_quantize (schema and validation: tensor/src/ops/npu-quantize.ts; lanes in
// assembly/ops/quantize.ts). The per-channel factor, zero point and NaN result come from the
// numerics every backend shares (quantizeChannelParams), so only the element loop is SIMD.

import {
  Tensor,
  float16,
  float32,
  int32,
  int8,
  npuQuantizeOp,
  quantizeChannelParams,
  quantizeOperandValues as values,
  quantizeRange,
  registerKernel,
  type DType,
} from "@tsnpu/tensor";
import { DTYPE_F16, DTYPE_F32, DTYPE_I32, DTYPE_I8, DTYPE_U8 } from "../abi.js";
import { currentRuntime } from "../backend.js";
import { addressOf, withTemps } from "./shared.js";

const outCode = (d: DType) => (d === int8 ? DTYPE_I8 : d === int32 ? DTYPE_I32 : DTYPE_U8);

registerKernel(npuQuantizeOp, "wasm", {
  run: withTemps(({ input, scales, zeroPoints }, attrs, [spec], g, temp) => {
    const x = temp(input.contiguous());
    const p = quantizeChannelParams(
      values(scales),
      zeroPoints ? values(zeroPoints) : null,
      attrs.divMode,
      spec.dtype,
    );
    const c = p.factor.length;
    // factor f32[c], zero f32[c], nan i32[c]: one wasm buffer the lanes read.
    const params = temp(Tensor.forOutput([3 * c], float32, x.device));
    const words = params.storage.data as Float32Array;
    words.set(p.factor);
    words.set(p.zero, c);
    new Int32Array(words.buffer, words.byteOffset + 8 * c, c).set(p.nan);
    const out = Tensor.forOutput(spec.shape, spec.dtype, x.device);
    const [lo, hi] = quantizeRange(spec.dtype);
    const [outer, channels, inner] = g.perTensor
      ? [1, 1, out.numel()]
      : [g.outer, g.channels, g.inner];
    currentRuntime().quantize(
      x.dtype === float16 ? DTYPE_F16 : DTYPE_F32,
      addressOf(x),
      outCode(spec.dtype),
      addressOf(out),
      outer,
      channels,
      inner,
      addressOf(params),
      attrs.divMode ? 1 : 0,
      lo,
      hi,
    );
    return [out];
  }),
});
