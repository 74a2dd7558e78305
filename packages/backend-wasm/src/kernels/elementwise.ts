// wasm kernels of the element-wise family (schemas: tensor/src/ops/elementwise.ts; loops in
// assembly/ops/unary.ts and binary.ts), bit-exact to the cpu's kernels/elementwise.ts:
// - relu, neg, abs: float16, float32, int32, int8 (neg and abs of the minimum int wrap to it).
// - clamp: float16 and float32 results; the input is cast to the result dtype and the bounds
//   rounded to float32, as the cpu does.
// - add, sub, mul: float16, float32 and int32 results; div: float16 and float32 results. As on
//   the cpu, operands are first cast to the result dtype and broadcast; a JS scalar operand enters
//   as the cpu reads it (float32 for both float dtypes, wrapped int32).
// Other dtypes are declined (`supports`) and take the dispatcher's no-kernel path.

import {
  Tensor,
  binaryOps,
  cast,
  clampOp,
  float32Bits,
  registerKernel,
  unaryOps,
  type BinaryOpDef,
  type BinaryOpName,
  type KernelOf,
} from "@tsnpu/tensor";
import {
  BINARY_ADD,
  BINARY_AXPY,
  BINARY_DIV,
  BINARY_MUL,
  BINARY_SUB,
  BINARY_SUB_ALPHA,
  UNARY_ABS,
  UNARY_NEG,
} from "../abi.js";
import { currentRuntime } from "../backend.js";
import { poolBinary, poolRelu } from "./pool-calls.js";
import {
  addressOf,
  broadcastOperand,
  dense,
  dtypeCode,
  resultDTypeIn,
  withTemps,
} from "./shared.js";

registerKernel(unaryOps.relu, "wasm", {
  supports: resultDTypeIn("float32", "float16", "int32", "int8"),
  run: withTemps(({ self }, _attrs, [spec], _derived, temp) => {
    const x = dense(self, temp);
    const out = Tensor.forOutput(spec.shape, spec.dtype, x.device);
    poolRelu(dtypeCode(spec.dtype), addressOf(x), addressOf(out), out.numel());
    return [out];
  }),
});

for (const [name, op] of [
  ["neg", UNARY_NEG],
  ["abs", UNARY_ABS],
] as const) {
  registerKernel(unaryOps[name], "wasm", {
    supports: resultDTypeIn("float32", "float16", "int32", "int8"),
    run: withTemps(({ self }, _attrs, [spec], _derived, temp) => {
      const x = dense(self, temp);
      const out = Tensor.forOutput(spec.shape, spec.dtype, x.device);
      currentRuntime().unary(op, dtypeCode(spec.dtype), addressOf(x), addressOf(out), out.numel());
      return [out];
    }),
  });
}

/** The cpu's min(max(NaN, lo), hi) is not its operand but the NaN Math.max makes (negative on x86). */
const nanBits = float32Bits(Math.max(Number.NaN, 0)) | 0;

registerKernel(clampOp, "wasm", {
  supports: resultDTypeIn("float32", "float16"),
  run: withTemps(({ self }, attrs, [spec], _derived, temp) => {
    const x = dense(temp(cast(self, spec.dtype)), temp);
    const lo = attrs.min === null ? -Infinity : Math.fround(attrs.min);
    const hi = attrs.max === null ? Infinity : Math.fround(attrs.max);
    const out = Tensor.forOutput(spec.shape, spec.dtype, x.device);
    currentRuntime().clamp(
      dtypeCode(spec.dtype),
      addressOf(x),
      addressOf(out),
      out.numel(),
      lo,
      hi,
      nanBits,
    );
    return [out];
  }),
});

/** The op code of a call: alpha 1 keeps add and sub in float32 lanes. */
function binaryOpCode(name: BinaryOpName, alpha: number): number {
  if (name === "add") return alpha === 1 ? BINARY_ADD : BINARY_AXPY;
  if (name === "sub") return alpha === 1 ? BINARY_SUB : BINARY_SUB_ALPHA;
  return name === "mul" ? BINARY_MUL : BINARY_DIV;
}

/**
 * The kernel body of binary op `name`; `relu`: relu of the result in the same pass (the fused
 * add -> relu step, fused-add-relu.ts).
 */
export function binaryKernel(name: BinaryOpName, relu = false): KernelOf<BinaryOpDef>["run"] {
  return withTemps(({ self, other }, attrs, [spec], _derived, temp) => {
    const isInt = spec.dtype.kind === "int";
    const a = broadcastOperand(self, spec, temp);
    const b = other ? broadcastOperand(other, spec, temp) : null;
    // With no tensor operand the meta function checked attrs.other is a scalar.
    const scalar = b ? 0 : Number(attrs.other);
    const out = Tensor.forOutput(spec.shape, spec.dtype, a.device);
    poolBinary(
      binaryOpCode(name, attrs.alpha),
      dtypeCode(spec.dtype),
      addressOf(a),
      b ? addressOf(b) : 0,
      addressOf(out),
      out.numel(),
      isInt ? attrs.alpha | 0 : attrs.alpha,
      isInt ? scalar | 0 : Math.fround(scalar),
      relu,
    );
    return [out];
  });
}

const supports = resultDTypeIn("float32", "float16", "int32");
registerKernel(binaryOps.add, "wasm", { supports, run: binaryKernel("add") });
registerKernel(binaryOps.sub, "wasm", { supports, run: binaryKernel("sub") });
registerKernel(binaryOps.mul, "wasm", { supports, run: binaryKernel("mul") });
// True division: the meta function makes every result floating-point.
registerKernel(binaryOps.div, "wasm", {
  supports: resultDTypeIn("float32", "float16"),
  run: binaryKernel("div"),
});
