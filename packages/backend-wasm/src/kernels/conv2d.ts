// wasm kernel of conv2d (schema: tensor/src/ops/conv2d.ts; loops in assembly/conv-float.ts)
// for float16 and float32, bit-identical to the cpu's kernels/conv2d.ts (the arithmetic of
// docs/semantics/float-ops.md). The loops read float16 as it is and the input as the view it
// is (padding narrows and reshapes, transposes): no widened or contiguous copy of the input.
//
// In graphs, constant_pad_nd(x, zeros on H and W) -> conv2d (how ONNX's asymmetric pads are
// lowered) is one step: the conv reads x and treats the pad's zeros as taps it adds (they are
// data to the conv, not its padding, so they are not skipped), without the padded copy.
//
// A float16 conv2d (or that pad -> conv2d pair) whose result only an npu_quantize reads is one
// step too: the loops round each result to float16 as they store it now, then run the
// quantize lanes on that value (ops/quantize.ts) and store int8/uint8, so the float16 tensor is
// never written. Bits equal the unfused graph's.

import {
  Tensor,
  constantPadNdOp,
  conv2dOp,
  convOutputSize,
  float16,
  float32,
  int8,
  npuQuantizeOp,
  registerKernel,
  uint8,
  type AxisPads,
  type ConstantPadNdAttrs,
  type Conv2dGeometry,
  type GraphNode,
  type KernelFn,
  type KernelInputs,
  type NpuQuantizeAttrs,
  type QuantizeGeometry,
  type TensorSpec,
} from "@tsnpu/tensor";
import { ACT_NONE } from "../abi.js";
import { currentRuntime } from "../backend.js";
import { wasmFusions } from "../fusions.js";
import { epilogueBlock } from "./fused-quant-conv2d.js";
import { quantizeParams, quantized } from "./npu-quantize.js";
import { addressOf, dtypeCode, resultDTypeIn, withTemps, type Temp } from "./shared.js";

/** Column, row, channel and image strides (elements) of a conv input, batched or not. */
function inputStrides(x: Tensor): [number, number, number, number] {
  const s = x.strides;
  return x.ndim === 4 ? [s[3]!, s[2]!, s[1]!, s[0]!] : [s[2]!, s[1]!, s[0]!, 0];
}

/** A fused npu_quantize: its epilogue block (E_* words) and its result's spec. */
interface QuantizeStep {
  readonly block: number;
  readonly spec: TensorSpec;
}

/**
 * conv2d of geometry `g` into a new output; paddingIsData: the taps outside `input` are a
 * fused pad's zeros (see the header); quantize: the result is that npu_quantize's.
 */
function convolve(
  input: Tensor,
  weight: Tensor,
  bias: Tensor | null,
  spec: TensorSpec,
  g: Conv2dGeometry,
  paddingIsData: boolean,
  temp: Temp,
  quantize?: QuantizeStep,
): Tensor {
  // The loops take any non-negative strides; weights and bias are read contiguous.
  const x = input.strides.every((s) => s >= 0) ? input : temp(input.contiguous());
  const w = temp(weight.contiguous());
  const b = bias ? temp(bias.contiguous()) : null;
  const outSpec = quantize?.spec ?? spec;
  const out = Tensor.forOutput(outSpec.shape, outSpec.dtype, input.device);
  currentRuntime().floatConv2d(
    g,
    {
      input: addressOf(x),
      inputStrides: inputStrides(x),
      weight: addressOf(w),
      bias: b ? addressOf(b) : 0,
      out: addressOf(out),
      paddingIsData,
      quantize: quantize?.block ?? 0,
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

/**
 * The fused npu_quantize `q` of the float16 conv `conv` (its epilogue block allocated, with a
 * dispose), or null when the loops do not take it: the conv's result must be q's input, q's
 * parameters graph constants, its result int8/uint8, per tensor or per conv output channel.
 */
function quantizeStep(conv: GraphNode, q: GraphNode): (QuantizeStep & { dispose(): void }) | null {
  const convOut = conv.outputs[0];
  const inputs = q.inputs as KernelInputs<readonly ["input", "scales", "zeroPoints?"]>;
  const spec = q.outputs[0];
  if (convOut.dtype !== float16 || inputs.input !== convOut) return null;
  if (spec.dtype !== int8 && spec.dtype !== uint8) return null;
  if (inputs.scales.isSymbolic || inputs.zeroPoints?.isSymbolic) return null;
  const g = conv.derived as Conv2dGeometry;
  const qg = q.derived as QuantizeGeometry;
  const perChannel = qg.outer === g.n && qg.channels === g.cout && qg.inner === g.hOut * g.wOut;
  if (!qg.perTensor && !perChannel) return null;
  const attrs = q.attrs as NpuQuantizeAttrs;
  const params = quantizeParams(inputs.scales, inputs.zeroPoints, attrs, convOut.device);
  const none = { code: ACT_NONE, lo: 0, hi: 0 };
  const channels = qg.perTensor ? 1 : g.cout;
  const epi = epilogueBlock(none, null, spec.dtype, params, attrs, channels);
  return {
    block: epi.ptr,
    spec: { shape: spec.shape, dtype: spec.dtype },
    dispose: () => {
      epi.dispose();
      params.dispose();
    },
  };
}

/** The kernel of a fused chain: convolve with inputs[input], the conv link's weight and bias. */
function fusedConv(
  input: string,
  link: number,
  spec: TensorSpec,
  g: Conv2dGeometry,
  paddingIsData: boolean,
  quantize?: QuantizeStep & { dispose(): void },
): KernelFn {
  const run = withTemps<Record<string, Tensor | null>, unknown, unknown>(
    (inputs, _a, _o, _d, temp) => [
      convolve(
        inputs[input]!,
        inputs[`${link}.weight`]!,
        inputs[`${link}.bias`] ?? null,
        spec,
        g,
        paddingIsData,
        temp,
        quantize,
      ),
    ],
  ) as KernelFn;
  return quantize ? Object.assign(run, { dispose: quantize.dispose }) : run;
}

const convSpec = (conv: GraphNode) => ({
  shape: conv.outputs[0].shape,
  dtype: conv.outputs[0].dtype,
});

/**
 * The pad -> conv step, then q's kernel on its float16 result: a chain whose quantize the loops
 * do not take keeps the pad fused (declining would run all three nodes one by one).
 */
function padConvThenQuantize(g: Conv2dGeometry, conv: GraphNode, q: GraphNode): KernelFn {
  const spec = convSpec(conv);
  const attrs = q.attrs as NpuQuantizeAttrs;
  const qg = q.derived as QuantizeGeometry;
  const out = q.outputs[0];
  return withTemps<Record<string, Tensor | null>, unknown, unknown>((inputs, _a, _o, _d, temp) => {
    const x = inputs["0.self"]!;
    const y = temp(convolve(x, inputs["1.weight"]!, inputs["1.bias"] ?? null, spec, g, true, temp));
    const scales = inputs["2.scales"]!;
    const params = temp(quantizeParams(scales, inputs["2.zeroPoints"] ?? null, attrs, x.device));
    return [quantized(y, params, out, qg, attrs.divMode)];
  }) as KernelFn;
}

function preparePadConv(nodes: readonly GraphNode[]): KernelFn | null {
  const [pad, conv, q] = nodes as [GraphNode, GraphNode, GraphNode | undefined];
  const g = fusedGeometry(pad, conv);
  if (!g) return null;
  const quantize = q ? quantizeStep(conv, q) : undefined;
  if (quantize === null) return padConvThenQuantize(g, conv, q!);
  return fusedConv("0.self", 1, convSpec(conv), g, true, quantize);
}

function prepareConvQuantize(nodes: readonly GraphNode[]): KernelFn | null {
  const [conv, q] = nodes as [GraphNode, GraphNode];
  const quantize = quantizeStep(conv, q);
  if (!quantize) return null;
  const g = conv.derived as Conv2dGeometry;
  return fusedConv("0.input", 0, convSpec(conv), g, false, quantize);
}

wasmFusions.push(
  {
    name: "constant_pad_nd+conv2d",
    ops: [constantPadNdOp.name, conv2dOp.name],
    prepare: preparePadConv,
  },
  {
    name: "constant_pad_nd+conv2d+npu_quantize",
    ops: [constantPadNdOp.name, conv2dOp.name, npuQuantizeOp.name],
    prepare: preparePadConv,
  },
  {
    name: "conv2d+npu_quantize",
    ops: [conv2dOp.name, npuQuantizeOp.name],
    prepare: prepareConvQuantize,
  },
);
