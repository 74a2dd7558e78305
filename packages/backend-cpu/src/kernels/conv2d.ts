// cpu kernel of conv2d (schema: tensor/src/ops/conv2d.ts): a direct convolution with the float
// arithmetic every backend reproduces bit for bit (docs/semantics/float-ops.md): float16 and
// float32 accumulate in float32 (acc = bias or 0, then acc = f32(acc + f32(x * w)) for ci, kh,
// kw ascending, padded taps skipped, no fused multiply-add), round once to the output dtype, and
// a NaN result is the canonical quiet NaN. float64 follows the same order in float64.

import {
  conv2dOp,
  float16,
  float64,
  fromRaw,
  readNumbers,
  registerKernel,
  toFloat16Bits,
  type DType,
} from "@tsnpu/tensor";

/** The canonical quiet NaNs a NaN result is stored as (float-ops.md, "NaN results"). */
const F32_NAN_BITS = 0x7fc00000;
const F16_NAN_BITS = 0x7e00;

registerKernel(conv2dOp, "cpu", {
  run: ({ input, weight, bias }, _attrs, [spec], g) => {
    const x = readNumbers(input);
    const w = readNumbers(weight);
    const b = bias ? readNumbers(bias) : null;
    // float64 keeps double arithmetic; float16/float32 round every step to float32.
    const round = spec.dtype === float64 ? (v: number) => v : Math.fround;
    const coutPerGroup = g.cout / g.groups;
    const cinPerGroup = g.cin / g.groups;
    const acc = new Float64Array(g.n * g.cout * g.hOut * g.wOut);
    let o = 0;
    for (let n = 0; n < g.n; n++) {
      for (let co = 0; co < g.cout; co++) {
        const firstChannel = Math.floor(co / coutPerGroup) * cinPerGroup;
        for (let oh = 0; oh < g.hOut; oh++) {
          for (let ow = 0; ow < g.wOut; ow++) {
            let sum = b ? b[co]! : 0;
            for (let ci = 0; ci < cinPerGroup; ci++) {
              const plane = (n * g.cin + firstChannel + ci) * g.h;
              const kernel = (co * cinPerGroup + ci) * g.kh;
              for (let i = 0; i < g.kh; i++) {
                const ih = oh * g.strideH - g.padTop + i * g.dilationH;
                if (ih < 0 || ih >= g.h) continue; // padded tap: skipped
                for (let j = 0; j < g.kw; j++) {
                  const iw = ow * g.strideW - g.padLeft + j * g.dilationW;
                  if (iw >= 0 && iw < g.w)
                    sum = round(
                      sum + round(x[(plane + ih) * g.w + iw]! * w[(kernel + i) * g.kw + j]!),
                    );
                }
              }
            }
            acc[o++] = sum;
          }
        }
      }
    }
    return [fromRaw(store(acc, spec.dtype), spec, input.device)];
  },
});

/** The results as the output dtype's raw elements, NaNs canonical. */
function store(acc: Float64Array, dtype: DType): Float64Array | Float32Array | Uint16Array {
  if (dtype === float64) return acc;
  if (dtype === float16) {
    const out = new Uint16Array(acc.length);
    for (let i = 0; i < acc.length; i++) {
      const v = acc[i]!;
      out[i] = v === v ? toFloat16Bits(v) : F16_NAN_BITS;
    }
    return out;
  }
  const out = new Float32Array(acc.length);
  const bits = new Uint32Array(out.buffer);
  for (let i = 0; i < acc.length; i++) {
    const v = acc[i]!;
    if (v === v) out[i] = v;
    else bits[i] = F32_NAN_BITS;
  }
  return out; // same-type TypedArray.set copies bytes, so the NaN bits survive
}
