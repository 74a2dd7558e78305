// wasm kernel of cast (schema: tensor/src/ops/copy.ts): float32 <-> float16 of contiguous data
// in SIMD on the pool (assembly/ops/cast.ts), bit-exact to the cpu's cast; every other cast
// (other dtypes, strided views) is the device-agnostic one on the host view.

import { Tensor, castOnHost, castOp, registerKernel } from "@tsnpu/tensor";
import { ELT_CAST_F16_F32, ELT_CAST_F32_F16 } from "../abi.js";
import { poolCast } from "./pool-calls.js";
import { addressOf } from "./shared.js";

registerKernel(castOp, "wasm", {
  run: ({ input }, { dtype }) => {
    const from = input.dtype.name;
    const kind =
      from === "float32" && dtype.name === "float16"
        ? ELT_CAST_F32_F16
        : from === "float16" && dtype.name === "float32"
          ? ELT_CAST_F16_F32
          : -1;
    if (kind < 0 || !input.isContiguous()) return [castOnHost(input, dtype)];
    const out = Tensor.forOutput(input.shape, dtype, input.device);
    poolCast(kind, addressOf(input), addressOf(out), out.numel());
    return [out];
  },
});
