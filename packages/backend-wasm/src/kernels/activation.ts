// wasm kernels of the float activations, pow, prelu and softmax (schemas:
// tensor/src/ops/activation.ts, pow.ts, softmax.ts; loops in assembly/ops/activation.ts),
// bit-exact to the cpu's: the same binary64 algorithm (assembly/ops/float-math.ts), one
// rounding to float32 (then float16). float16 and float32 only, as the meta functions demand.

import {
  Tensor,
  floatUnaryOps,
  hardsigmoidOp,
  leakyReluOp,
  powOp,
  preluOp,
  registerKernel,
  softmaxOp,
  type FloatUnaryOpName,
} from "@tsnpu/tensor";
import {
  FLOAT_EXP,
  FLOAT_HARDSIGMOID,
  FLOAT_HARDSWISH,
  FLOAT_LEAKY_RELU,
  FLOAT_SIGMOID,
  FLOAT_SQRT,
  FLOAT_TANH,
} from "../abi.js";
import { currentRuntime } from "../backend.js";
import { addressOf, broadcastOperand, dense, dtypeCode, withTemps } from "./shared.js";

/** A kernel running FLOAT_* `op` on `self` with parameters from the attributes. */
function floatUnaryKernel<A>(op: number, params: (a: A) => [number, number]) {
  return {
    run: withTemps<{ readonly self: Tensor }, A, unknown>(({ self }, attrs, [spec], _d, temp) => {
      const x = dense(self, temp);
      const out = Tensor.forOutput(spec.shape, spec.dtype, x.device);
      const [p0, p1] = params(attrs);
      currentRuntime().floatUnary(
        op,
        dtypeCode(spec.dtype),
        addressOf(x),
        addressOf(out),
        out.numel(),
        p0,
        p1,
      );
      return [out];
    }),
  };
}

const CODES: Record<FloatUnaryOpName, number> = {
  exp: FLOAT_EXP,
  sigmoid: FLOAT_SIGMOID,
  tanh: FLOAT_TANH,
  sqrt: FLOAT_SQRT,
  hardswish: FLOAT_HARDSWISH,
};
for (const [name, code] of Object.entries(CODES) as [FloatUnaryOpName, number][])
  registerKernel(
    floatUnaryOps[name],
    "wasm",
    floatUnaryKernel(code, () => [0, 0]),
  );
registerKernel(
  hardsigmoidOp,
  "wasm",
  floatUnaryKernel(FLOAT_HARDSIGMOID, (a: { alpha: number; beta: number }) => [a.alpha, a.beta]),
);
registerKernel(
  leakyReluOp,
  "wasm",
  floatUnaryKernel(FLOAT_LEAKY_RELU, (a: { negativeSlope: number }) => [a.negativeSlope, 0]),
);

registerKernel(powOp, "wasm", {
  run: withTemps(({ self, exponent }, attrs, [spec], _d, temp) => {
    const a = broadcastOperand(self, spec, temp);
    const b = exponent ? broadcastOperand(exponent, spec, temp) : null;
    const out = Tensor.forOutput(spec.shape, spec.dtype, a.device);
    // A scalar exponent enters as the cpu reads it: float32 for both float dtypes.
    const scalar = b ? 0 : Math.fround(Number(attrs.exponent));
    currentRuntime().pow(
      dtypeCode(spec.dtype),
      addressOf(a),
      b ? addressOf(b) : 0,
      addressOf(out),
      out.numel(),
      scalar,
    );
    return [out];
  }),
});

registerKernel(preluOp, "wasm", {
  run: withTemps(({ self, weight }, _a, [spec], _d, temp) => {
    const x = dense(self, temp);
    const w = broadcastOperand(weight, spec, temp);
    const out = Tensor.forOutput(spec.shape, spec.dtype, x.device);
    currentRuntime().prelu(
      dtypeCode(spec.dtype),
      addressOf(x),
      addressOf(w),
      addressOf(out),
      out.numel(),
    );
    return [out];
  }),
});

registerKernel(softmaxOp, "wasm", {
  run: withTemps(({ self }, _a, [spec], { outer, size, inner }, temp) => {
    const x = dense(self, temp);
    const out = Tensor.forOutput(spec.shape, spec.dtype, x.device);
    currentRuntime().softmax(
      dtypeCode(spec.dtype),
      addressOf(x),
      addressOf(out),
      outer,
      size,
      inner,
    );
    return [out];
  }),
});
