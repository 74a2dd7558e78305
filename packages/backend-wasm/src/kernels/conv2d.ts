// wasm kernel of conv2d (schema: tensor/src/ops/conv2d.ts; loops in assembly/conv-float.ts)
// for float16 and float32, bit-identical to the cpu's kernels/conv2d.ts (the arithmetic of
// docs/semantics/float-ops.md). The loops read float32 only: float16 inputs, weights and bias
// are widened first (exact). In graph mode `prepare` widens constant weights and bias once.

import {
  Tensor,
  conv2dOp,
  float16,
  float32,
  registerKernel,
  type Conv2dGeometry,
  type TensorSpec,
} from "@tsnpu/tensor";
import { currentRuntime } from "../backend.js";
import { addressOf, dtypeCode, resultDTypeIn, withTemps, type Temp } from "./shared.js";

/** `t` as a contiguous float32 wasm tensor: itself, a contiguous copy, or its float16 values widened (copies marked with `temp`). */
function asFloat32(t: Tensor, temp: Temp): Tensor {
  const c = temp(t.contiguous());
  if (t.dtype !== float16) return c;
  const wide = temp(Tensor.forOutput(t.shape, float32, t.device));
  currentRuntime().widenF16(addressOf(c), addressOf(wide), c.numel());
  return wide;
}

function convolve(
  x: Tensor,
  weight: Tensor,
  bias: Tensor | null,
  spec: TensorSpec,
  g: Conv2dGeometry,
): Tensor {
  const out = Tensor.forOutput(spec.shape, spec.dtype, x.device);
  currentRuntime().floatConv2d(
    g,
    {
      input: addressOf(x),
      weight: addressOf(weight),
      bias: bias ? addressOf(bias) : 0,
      out: addressOf(out),
    },
    dtypeCode(spec.dtype),
  );
  return out;
}

const eager = withTemps<
  { input: Tensor; weight: Tensor; bias: Tensor | null },
  unknown,
  Conv2dGeometry
>(({ input, weight, bias }, _attrs, [spec], g, temp) => [
  convolve(
    asFloat32(input, temp),
    asFloat32(weight, temp),
    bias ? asFloat32(bias, temp) : null,
    spec!,
    g,
  ),
]);

registerKernel(conv2dOp, "wasm", {
  supports: resultDTypeIn("float32", "float16"),
  run: eager,
  prepare: ({ weight, bias }, _attrs, _outputs, g) => {
    if (weight.isSymbolic || bias?.isSymbolic) return eager;
    // Constant weights and bias: widened once, kept until the graph is disposed.
    const kept: Tensor[] = [];
    const keep: Temp = (t) => {
      if (t !== weight && t !== bias && !kept.includes(t)) kept.push(t);
      return t;
    };
    const w = asFloat32(weight, keep);
    const b = bias ? asFloat32(bias, keep) : null;
    const run = withTemps<{ input: Tensor }, unknown, Conv2dGeometry>(
      ({ input }, _attrs, [spec], _g, temp) => [convolve(asFloat32(input, temp), w, b, spec!, g)],
    );
    return Object.assign(run, { dispose: () => kept.forEach((t) => t.dispose()) });
  },
});
