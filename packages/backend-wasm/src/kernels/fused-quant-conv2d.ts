// Fused graph steps of int8 networks on wasm: QuantConv2d, optionally relu or clamp, then the
// next layer's npu_quantize, as one step, so int8 flows from conv to conv. The conv writes its
// float16 result (the float16 rounding stays in the arithmetic, so the bits are the unfused
// graph's) to a buffer the step frees at once, and one SIMD pass applies the activation and
// quantizes it (assembly/ops/quantize.ts): no relu tensor, no quantize input copy, no second
// pass over a float16 tensor. Declines (the nodes then run one by one) when a quantize
// parameter is not a constant of the graph.

import {
  Tensor,
  float16,
  resolveKernel,
  type ClampAttrs,
  type Fusion,
  type GraphNode,
  type KernelFn,
  type NpuQuantizeAttrs,
  type OutputSpecs,
  type QuantizeGeometry,
  type KernelInputs,
} from "@tsnpu/tensor";
import { ACT_CLAMP, ACT_NONE, ACT_RELU } from "../abi.js";
import { wasmFusions } from "../fusions.js";
import { quantizeParams, runQuantize, type Activation } from "./npu-quantize.js";

const specsOf = (n: GraphNode) =>
  n.outputs.map((o) => ({ shape: o.shape, dtype: o.dtype })) as unknown as OutputSpecs;

/** The activation node's effect as the lanes apply it, or null when it is not one they reproduce. */
function activationOf(n: GraphNode | null): Activation | null {
  if (!n) return { code: ACT_NONE, lo: 0, hi: 0 };
  if (n.outputs[0].dtype !== float16) return null;
  if (n.op.name === "relu") return { code: ACT_RELU, lo: 0, hi: 0 };
  const { min, max } = n.attrs as ClampAttrs;
  const lo = min === null ? -Infinity : Math.fround(min);
  const hi = max === null ? Infinity : Math.fround(max);
  return { code: ACT_CLAMP, lo, hi };
}

function prepareChain(nodes: readonly GraphNode[]): KernelFn | null {
  const conv = nodes[0]!;
  const quantize = nodes[nodes.length - 1]!;
  const middle = nodes.length === 3 ? nodes[1]! : null;
  const { input, scales, zeroPoints } = quantize.inputs as KernelInputs<
    readonly ["input", "scales", "zeroPoints?"]
  >;
  // The chain's links must be the quantize's and the activation's data inputs, not a parameter.
  const feed = middle ? middle.outputs[0] : conv.outputs[0];
  if (input !== feed || (middle && (middle.inputs as { self?: Tensor }).self !== conv.outputs[0]))
    return null;
  if (scales.isSymbolic || zeroPoints?.isSymbolic) return null;
  const act = activationOf(middle);
  if (!act) return null;
  const convInputs = conv.inputs as KernelInputs<readonly string[]>;
  const convSpecs = specsOf(conv);
  const device = conv.outputs[0].device;
  const kernel = resolveKernel(conv.op, device, convInputs, convSpecs);
  const convRun = kernel.prepare
    ? kernel.prepare(convInputs, conv.attrs, convSpecs, conv.derived)
    : kernel.run;
  const attrs = quantize.attrs as NpuQuantizeAttrs;
  const params = quantizeParams(scales, zeroPoints, attrs, device);
  const [spec] = specsOf(quantize);
  const g = quantize.derived as QuantizeGeometry;
  const run: KernelFn = (inputs) => {
    const linkInputs: Record<string, Tensor | null> = {};
    for (const name of conv.op.inputNames)
      linkInputs[name] = (inputs[`0.${name}`] as Tensor | undefined) ?? null;
    const [y] = convRun(linkInputs, conv.attrs, convSpecs, conv.derived);
    try {
      const out = Tensor.forOutput(spec.shape, spec.dtype, device);
      runQuantize(y!, params, out, g, attrs.divMode, act);
      return [out];
    } finally {
      y!.dispose();
    }
  };
  return Object.assign(run, {
    dispose: () => {
      (convRun as { dispose?: () => void }).dispose?.();
      params.dispose();
    },
  });
}

const chain = (name: string, ops: string[]): Fusion => ({ name, ops, prepare: prepareChain });

wasmFusions.push(
  chain("quant_conv2d+relu+quantize", ["npu_quant_conv2d", "relu", "npu_quantize"]),
  chain("quant_conv2d+clamp+quantize", ["npu_quant_conv2d", "clamp", "npu_quantize"]),
  chain("quant_conv2d+quantize", ["npu_quant_conv2d", "npu_quantize"]),
);
