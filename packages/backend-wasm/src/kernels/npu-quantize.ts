// wasm kernel of npu_quantize (schema and validation: tensor/src/ops/npu-quantize.ts; lanes in
// assembly/ops/quantize.ts). The per-channel factor, zero point and NaN result come from the
// numerics every backend shares (quantizeChannelParams), so only the element loop is SIMD. The
// fused QuantConv2d -> relu/clamp -> npu_quantize step (fused-quant-conv2d.ts) reuses both halves.

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
  type KernelFn,
  type KernelInputs,
  type NpuQuantizeAttrs,
  type QuantizeGeometry,
  type TensorSpec,
} from "@tsnpu/tensor";
import { ACT_NONE, DTYPE_F16, DTYPE_F32, DTYPE_I32, DTYPE_I8, DTYPE_U8 } from "../abi.js";
import { currentRuntime } from "../backend.js";
import { poolQuantize } from "./pool-calls.js";
import { addressOf, dense, withTemps } from "./shared.js";

const outCode = (d: DType) => (d === int8 ? DTYPE_I8 : d === int32 ? DTYPE_I32 : DTYPE_U8);

/** The lanes' per-channel parameters in wasm memory: factor f32[c], zero f32[c], nan i32[c]. */
export function quantizeParams(
  scales: Tensor,
  zeroPoints: Tensor | null,
  attrs: NpuQuantizeAttrs,
  device: Tensor["device"],
): Tensor {
  const p = quantizeChannelParams(
    values(scales),
    zeroPoints ? values(zeroPoints) : null,
    attrs.divMode,
    attrs.dtype,
  );
  const c = p.factor.length;
  const params = Tensor.forOutput([3 * c], float32, device);
  const words = params.storage.data as Float32Array;
  words.set(p.factor);
  words.set(p.zero, c);
  new Int32Array(words.buffer, words.byteOffset + 8 * c, c).set(p.nan);
  return params;
}

/** An activation applied before quantizing (a fused step): ACT_* code and float32 bounds. */
export interface Activation {
  readonly code: number;
  readonly lo: number;
  readonly hi: number;
}

/** Quantizes contiguous float32/float16 `x` into `out` with `params` from quantizeParams. */
export function runQuantize(
  x: Tensor,
  params: Tensor,
  out: Tensor,
  g: QuantizeGeometry,
  divMode: boolean,
  act: Activation = { code: ACT_NONE, lo: 0, hi: 0 },
): void {
  const [lo, hi] = quantizeRange(out.dtype);
  const inDtype = x.dtype === float16 ? DTYPE_F16 : DTYPE_F32;
  if (g.perTensor && act.code === ACT_NONE) {
    const n = out.numel();
    poolQuantize(
      inDtype,
      addressOf(x),
      outCode(out.dtype),
      addressOf(out),
      n,
      addressOf(params),
      divMode,
      lo,
      hi,
    );
    return;
  }
  const [outer, channels, inner] = g.perTensor
    ? [1, 1, out.numel()]
    : [g.outer, g.channels, g.inner];
  currentRuntime().quantize(
    inDtype,
    addressOf(x),
    outCode(out.dtype),
    addressOf(out),
    outer,
    channels,
    inner,
    addressOf(params),
    divMode ? 1 : 0,
    lo,
    hi,
    act.code,
    act.lo,
    act.hi,
  );
}

/** npu_quantize of the contiguous `x` with lane parameters `params` into a new `spec` result. */
export function quantized(
  x: Tensor,
  params: Tensor,
  spec: TensorSpec,
  g: QuantizeGeometry,
  divMode: boolean,
): Tensor {
  const out = Tensor.forOutput(spec.shape, spec.dtype, x.device);
  runQuantize(x, params, out, g, divMode);
  return out;
}

type QuantizeInputs = KernelInputs<readonly ["input", "scales", "zeroPoints?"]>;

const runKernel = withTemps<QuantizeInputs, NpuQuantizeAttrs, QuantizeGeometry>(
  ({ input, scales, zeroPoints }, attrs, [spec], g, temp) => {
    const params = temp(quantizeParams(scales, zeroPoints, attrs, input.device));
    return [quantized(dense(input, temp), params, spec, g, attrs.divMode)];
  },
);

registerKernel(npuQuantizeOp, "wasm", {
  run: runKernel,
  // Compiled graphs: constant scales and zero points give their lane parameters once, not per replay.
  prepare: ({ input, scales, zeroPoints }, attrs, [spec], g) => {
    if (scales.isSymbolic || zeroPoints?.isSymbolic) return runKernel;
    const params = quantizeParams(scales, zeroPoints, attrs, input.device);
    const run = withTemps<QuantizeInputs, NpuQuantizeAttrs, QuantizeGeometry>(
      ({ input: x }, _a, _o, _g, temp) => [
        quantized(dense(x, temp), params, spec, g, attrs.divMode),
      ],
    ) as KernelFn;
    return Object.assign(run, { dispose: () => params.dispose() });
  },
});
