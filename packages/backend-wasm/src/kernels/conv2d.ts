// wasm kernel of conv2d (schema: tensor/src/ops/conv2d.ts; loops in assembly/conv-float.ts)
// for float16 and float32, bit-identical to the cpu's kernels/conv2d.ts (the arithmetic of
// docs/semantics/float-ops.md). The loops read float16 as it is and the input as the view it
// is (padding narrows and reshapes, transposes): no widened or contiguous copy of the input.
//
// In graphs, constant_pad_nd(x, zeros on H and W) -> conv2d (how ONNX's asymmetric pads are
// lowered) is one step: the conv reads x and treats the pad's zeros as taps it adds (they are
// data to the conv, not its padding, so they are not skipped), without the padded copy.

import {
  Tensor,
  constantPadNdOp,
  conv2dOp,
  convOutputSize,
  float16,
  float32,
  registerKernel,
  type AxisPads,
  type ConstantPadNdAttrs,
  type Conv2dGeometry,
  type GraphNode,
  type KernelFn,
  type TensorSpec,
} from "@tsnpu/tensor";
import { currentRuntime } from "../backend.js";
import { wasmFusions } from "../fusions.js";
import { addressOf, dtypeCode, resultDTypeIn, withTemps, type Temp } from "./shared.js";

/** Column, row, channel and image strides (elements) of a conv input, batched or not. */
function inputStrides(x: Tensor): [number, number, number, number] {
  const s = x.strides;
  return x.ndim === 4 ? [s[3]!, s[2]!, s[1]!, s[0]!] : [s[2]!, s[1]!, s[0]!, 0];
}

/**
 * conv2d of geometry `g` into a new output; paddingIsData: the taps outside `input` are a
 * fused pad's zeros (see the header).
 */
function convolve(
  input: Tensor,
  weight: Tensor,
  bias: Tensor | null,
  spec: TensorSpec,
  g: Conv2dGeometry,
  paddingIsData: boolean,
  temp: Temp,
): Tensor {
  // The loops take any non-negative strides; weights and bias are read contiguous.
  const x = input.strides.every((s) => s >= 0) ? input : temp(input.contiguous());
  const w = temp(weight.contiguous());
  const b = bias ? temp(bias.contiguous()) : null;
  const out = Tensor.forOutput(spec.shape, spec.dtype, input.device);
  currentRuntime().floatConv2d(
    g,
    {
      input: addressOf(x),
      inputStrides: inputStrides(x),
      weight: addressOf(w),
      bias: b ? addressOf(b) : 0,
      out: addressOf(out),
      paddingIsData,
    },
    dtypeCode(spec.dtype),
  );
  return out;
}

registerKernel(conv2dOp, "wasm", {
  supports: resultDTypeIn("float32", "float16"),
  run: withTemps<{ input: Tensor; weight: Tensor; bias: Tensor | null }, unknown, Conv2dGeometry>(
    ({ input, weight, bias }, _attrs, [spec], g, temp) => [
      convolve(input, weight, bias, spec!, g, false, temp),
    ],
  ),
});

/**
 * The geometry of conv2d(constant_pad_nd(x)) on x itself, or null when the pair is not one
 * step: the pad must add +0s to H and W only (no crop) and the conv have no padding of its own.
 */
function fusedGeometry(pad: GraphNode, conv: GraphNode): Conv2dGeometry | null {
  const { value } = pad.attrs as ConstantPadNdAttrs;
  if (typeof value !== "number" || value !== 0 || Object.is(value, -0)) return null;
  const dtype = conv.outputs[0].dtype;
  if (dtype !== float16 && dtype !== float32) return null;
  if ((conv.inputs as { input: Tensor }).input !== pad.outputs[0]) return null;
  const pads = pad.derived as AxisPads;
  const [top, left] = [pads.at(-2)!, pads.at(-1)!];
  if (pads.slice(0, -2).some(([b, a]) => b || a) || [...top, ...left].some((p) => p < 0))
    return null;
  const g = conv.derived as Conv2dGeometry;
  const unpadded = (size: number, k: number, s: number, d: number) =>
    convOutputSize(size, k, s, 0, d);
  if (
    g.padTop ||
    g.padLeft ||
    g.hOut !== unpadded(g.h, g.kh, g.strideH, g.dilationH) ||
    g.wOut !== unpadded(g.w, g.kw, g.strideW, g.dilationW)
  )
    return null;
  return {
    ...g,
    h: g.h - top[0] - top[1],
    w: g.w - left[0] - left[1],
    padTop: top[0],
    padLeft: left[0],
  };
}

function preparePadConv(nodes: readonly GraphNode[]): KernelFn | null {
  const [pad, conv] = nodes as [GraphNode, GraphNode];
  const g = fusedGeometry(pad, conv);
  if (!g) return null;
  const spec = { shape: conv.outputs[0].shape, dtype: conv.outputs[0].dtype };
  return withTemps<Record<string, Tensor | null>, unknown, unknown>((inputs, _a, _o, _d, temp) => [
    convolve(inputs["0.self"]!, inputs["1.weight"]!, inputs["1.bias"] ?? null, spec, g, true, temp),
  ]) as KernelFn;
}

wasmFusions.push({
  name: "constant_pad_nd+conv2d",
  ops: [constantPadNdOp.name, conv2dOp.name],
  prepare: preparePadConv,
});
