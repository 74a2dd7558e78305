// npu_trans_quant_param(scale, offset?): float32 scales (and optional offsets) -> the int64
// words the NPU's dequant reads. docs/semantics/quant-conv2d.md section 4. Bit manipulation only, so one
// device-agnostic kernel serves every backend.

import { float32 as f32, int64, type DType } from "../dtype.js";
import { ArgumentError, describe } from "../errors.js";
import { Tensor } from "../tensor.js";
import { defineOp } from "../dispatch/op.js";
import { ANY_BACKEND, registerKernel } from "../dispatch/registry.js";
import { dispatch1 } from "../dispatch/dispatch.js";
import { float32Bits } from "../numerics/float16.js";
import { SCALE_MANTISSA_MASK } from "../numerics/quant.js";
import { expectDType, expectTensor } from "./checks.js";

const OP = "npu_trans_quant_param";

/** Length of a 1-D (t,) or 2-D (1, n) parameter; throws otherwise. */
function paramLength(argument: string, t: Tensor): number {
  if (t.ndim === 1) return t.shape[0]!;
  if (t.ndim === 2 && t.shape[0] === 1) return t.shape[1]!;
  throw new ArgumentError(OP, argument, "a 1-D tensor (t,) or a 2-D tensor (1, n)", describe(t));
}

export const npuTransQuantParamOp = defineOp({
  name: OP,
  inputs: ["scale", "offset?"],
  meta: ({ scale: scaleArg, offset }) => {
    const scale = expectTensor(OP, "scale", scaleArg);
    const ns = paramLength("scale", scale);
    expectDType(OP, "scale", scale, f32);
    let n = ns;
    if (offset) {
      expectTensor(OP, "offset", offset);
      const no = paramLength("offset", offset);
      expectDType(OP, "offset", offset, f32);
      if (ns !== no && ns !== 1 && no !== 1) {
        throw new ArgumentError(
          OP,
          "offset",
          `length ${ns} or 1 (to broadcast with scale)`,
          `length ${no}`,
        );
      }
      n = Math.max(ns, no);
    }
    return [{ shape: [n], dtype: int64 as DType }];
  },
});

/** Round half to even, as torch.round / rint. */
function rint(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

const FLAG = 1n << 46n;
const KEEP_WITH_OFFSET = 0x4000ffffffffn;

/** The int64 word for one scale (and offset). A JS number cannot carry a signalling NaN: see {@link transQuantParamWordFromBits}. */
export function transQuantParamWord(scale: number, offset?: number): bigint {
  return transQuantParamWordFromBits(float32Bits(scale), offset);
}

/** The int64 word for the float32 bit pattern of one scale: the bits are masked, never converted (sNaN stays sNaN). */
export function transQuantParamWordFromBits(scaleBits: number, offset?: number): bigint {
  let word = BigInt((scaleBits & SCALE_MANTISSA_MASK) >>> 0) | FLAG;
  if (offset !== undefined) {
    const o = Math.min(255, Math.max(-256, rint(offset)));
    word = (word & KEEP_WITH_OFFSET) | (BigInt(o & 0x1ff) << 37n);
  }
  return word;
}

registerKernel(npuTransQuantParamOp, ANY_BACKEND, {
  run: ({ scale, offset }, _attrs, [out]) => {
    const f = scale.toTypedArray() as Float32Array;
    // Reading a Float32Array element as a JS number quiets a signalling NaN: read the bits.
    const s = new Uint32Array(f.buffer, f.byteOffset, f.length);
    const o = offset ? (offset.toTypedArray() as Float32Array) : null;
    const result = Tensor.forOutput(out.shape, int64, scale.device);
    const words = result.storage.data as BigInt64Array;
    // A length-1 scale or offset broadcasts.
    const at = <T extends Float32Array | Uint32Array>(v: T, i: number) => v[v.length === 1 ? 0 : i];
    for (let i = 0; i < words.length; i++)
      words[i] = transQuantParamWordFromBits(at(s, i) ?? 0, o ? at(o, i) : undefined);
    return [result];
  },
});

/**
 * Converts float32 dequant scales (and optional offsets) into the int64 form that
 * {@link npuQuantConv2d} reads: `(bits(scale) & 0xFFFFE000) | 1 << 46`, offset in bits 37..45.
 *
 * @example
 * const words = npuTransQuantParam(tensor([0.5], { dtype: float32 })); // int64 tensor([70369801142272])
 */
export function npuTransQuantParam(scale: Tensor, offset?: Tensor | null): Tensor {
  return dispatch1(npuTransQuantParamOp, { scale, offset: offset ?? null }, {});
}
