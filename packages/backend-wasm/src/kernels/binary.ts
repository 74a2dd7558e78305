// wasm kernels of add and mul (schemas: tensor/src/ops/elementwise.ts) for float16, float32 and
// int32 results. As on the cpu, operands are first cast to the result dtype and broadcast; a
// JS scalar operand enters as the cpu reads it (float32 for both float dtypes, wrapped int32).

import {
  Tensor, broadcastStrides, cast, registerKernel, type BinaryAttrs, type KernelFn, type Scalar, type TensorSpec,
} from "@tsnpu/tensor";
import { currentRuntime } from "../backend.js";
import { addressOf, dtypeCode, resultDTypeIn } from "./shared.js";

/** Op codes of assembly/ops/binary.ts. */
const ADD = 0;
const AXPY = 1;
const MUL = 2;

/** `t` as a contiguous tensor of the result's dtype and shape. */
function operand(t: Tensor, spec: TensorSpec): Tensor {
  const c = cast(t, spec.dtype);
  return new Tensor(c.storage, spec.shape, broadcastStrides(c.shape, c.strides, spec.shape), c.offset, c.dtype, c.device).contiguous();
}

function binaryKernel(name: "add" | "mul"): KernelFn<BinaryAttrs> {
  return (inputs, attrs, outputs) => {
    const spec = outputs[0]!;
    const isInt = spec.dtype.kind === "int";
    const a = operand(inputs[0]!, spec);
    const b = inputs[1] ? operand(inputs[1], spec) : null;
    const scalar = b ? 0 : Number(attrs.other as Scalar);
    const out = Tensor.forOutput(spec.shape, spec.dtype, a.device);
    currentRuntime().binary(
      name === "mul" ? MUL : attrs.alpha === 1 ? ADD : AXPY, dtypeCode(spec.dtype), addressOf(a), b ? addressOf(b) : 0, addressOf(out), out.numel(),
      isInt ? attrs.alpha | 0 : attrs.alpha, isInt ? scalar | 0 : Math.fround(scalar),
    );
    return [out];
  };
}

const supports = resultDTypeIn("float32", "float16", "int32");
registerKernel<BinaryAttrs>("add", "wasm", { supports, run: binaryKernel("add") });
registerKernel<BinaryAttrs>("mul", "wasm", { supports, run: binaryKernel("mul") });
