// cpu kernel of conv2d (schema: tensor/src/ops/conv2d.ts): a direct convolution that
// accumulates each output in float64 and rounds once to the output dtype. Reference speed.

import { conv2dOp, fromNumbers, readNumbers, registerKernel } from "@tsnpu/tensor";

registerKernel(conv2dOp, "cpu", {
  run: ({ input, weight, bias }, _attrs, [spec], g) => {
    const x = readNumbers(input);
    const w = readNumbers(weight);
    const b = bias ? readNumbers(bias) : null;
    const coutPerGroup = g.cout / g.groups;
    const cinPerGroup = g.cin / g.groups;
    const out = new Float64Array(g.n * g.cout * g.hOut * g.wOut);
    let o = 0;
    for (let n = 0; n < g.n; n++) {
      for (let co = 0; co < g.cout; co++) {
        const firstChannel = Math.floor(co / coutPerGroup) * cinPerGroup;
        for (let oh = 0; oh < g.hOut; oh++) {
          for (let ow = 0; ow < g.wOut; ow++) {
            let acc = b ? b[co]! : 0;
            for (let ci = 0; ci < cinPerGroup; ci++) {
              const plane = (n * g.cin + firstChannel + ci) * g.h;
              const kernel = (co * cinPerGroup + ci) * g.kh;
              for (let i = 0; i < g.kh; i++) {
                const ih = oh * g.strideH - g.padTop + i * g.dilationH;
                if (ih < 0 || ih >= g.h) continue; // zero padding
                for (let j = 0; j < g.kw; j++) {
                  const iw = ow * g.strideW - g.padLeft + j * g.dilationW;
                  if (iw >= 0 && iw < g.w)
                    acc += x[(plane + ih) * g.w + iw]! * w[(kernel + i) * g.kw + j]!;
                }
              }
            }
            out[o++] = acc;
          }
        }
      }
    }
    return [fromNumbers(out, spec, input.device)];
  },
});
