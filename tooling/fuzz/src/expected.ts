// What the spec says a case gives, from the conformance package's spec-literal reference.

import { referenceQuantConv2d, referenceTransQuantParamWord } from "@tsnpu/conformance";
import type { ConvCase, FuzzCase, TransQuantParamCase } from "./cases.js";

/** Element i of a parameter of length 1 (broadcast) or n. */
const at = <T>(xs: readonly T[], i: number): T => xs[xs.length === 1 ? 0 : i]!;

/** The int64 words npu_trans_quant_param must give (spec section 4, on the bits). */
export function expectedWords(c: Pick<TransQuantParamCase, "scaleBits" | "offset">): BigInt64Array {
  const n = Math.max(c.scaleBits.length, c.offset?.length ?? 0);
  return BigInt64Array.from({ length: n }, (_, i) =>
    BigInt.asIntN(
      64,
      referenceTransQuantParamWord(at(c.scaleBits, i), c.offset ? at(c.offset, i) : undefined),
    ),
  );
}

/** The scale words a conv case's op reads: given, or packed from the float32 scale. */
export function convScaleWords(c: ConvCase): BigInt64Array {
  if (c.scaleWords) return BigInt64Array.from(c.scaleWords, (w) => BigInt(w));
  return expectedWords({ scaleBits: c.scaleBits!, offset: c.offset });
}

/** float16 bits (conv cases) or int64 words (npu_trans_quant_param) per the spec. */
export function expectedResult(c: FuzzCase): Uint16Array | BigInt64Array {
  if (c.kind === "trans-quant-param") return expectedWords(c);
  return referenceQuantConv2d(
    c.g,
    Int8Array.from(c.input),
    Int8Array.from(c.weight),
    c.bias ? Int32Array.from(c.bias) : null,
    convScaleWords(c),
  );
}
