// Entries of the contractions and windows: matmul, conv2d, max_pool2d, avg_pool2d,
// npu_quant_conv2d.

import {
  avgPool2d,
  conv2d,
  float16,
  float32,
  int32,
  int64,
  int8,
  matmul,
  maxPool2d,
  npuQuantConv2d,
  type Conv2dPadding,
  type DType,
} from "@tsnpu/tensor";
import { sample, type OpEntry, type Sample } from "../entry.js";
import type { SampleGen } from "../inputs.js";
import { FLOAT_DTYPES, NUMERIC_DTYPES } from "../dtypes.js";
import { randomQuantProblem } from "../../random-cases.js";

/** Operand shapes for every matmul form: dot, matrix-vector, vector-matrix, matrix, batched (broadcast), empty k. */
function matmulShapes(g: SampleGen, form: number): [number[], number[]] {
  const [n, k, m] = [g.int(1, 6), form === 5 ? 0 : g.int(1, 9), g.int(1, 6)];
  switch (form) {
    case 0:
      return [[k], [k]];
    case 1:
      return [[n, k], [k]];
    case 2:
      return [[k], [k, m]];
    case 3:
      return [
        [n, k],
        [k, m],
      ];
    case 4:
      return [[g.int(1, 3), 1, n, k], [g.int(1, 2) === 1 ? 1 : 2, k, m].slice(g.int(0, 1))];
    default:
      return [
        [2, n, k],
        [k, m],
      ];
  }
}

const matmulEntry: OpEntry = {
  op: "matmul",
  samples: (g) =>
    NUMERIC_DTYPES.flatMap((dtype) =>
      [0, 1, 2, 3, 4, 5].map((form) => {
        const [sa, sb] = matmulShapes(g, form);
        const specials = g.pick([0, 0.02, 0.2]);
        return sample(
          `form ${form}`,
          [g.input(dtype, sa, { specials }), g.input(dtype, sb, { specials })],
          (a, b) => matmul(a, b),
        );
      }),
    ),
};

/** A kernel size and an input size that holds the dilated kernel, so every output size is positive. */
function window(g: SampleGen, dilation: number): { k: number; size: number } {
  const k = g.int(1, 3);
  return { k, size: g.int(dilation * (k - 1) + 1, 8) };
}

const conv2dEntry: OpEntry = {
  op: "conv2d",
  samples: (g) =>
    FLOAT_DTYPES.flatMap((dtype) =>
      Array.from({ length: 6 }, () => {
        const groups = g.int(1, 3);
        const [cin, cout] = [groups * g.int(1, 3), groups * g.int(1, 3)];
        const [dh, dw] = [g.int(1, 2), g.int(1, 2)];
        const [wh, ww] = [window(g, dh), window(g, dw)];
        const stride = g.chance(0.5) ? 1 : ([g.int(1, 3), g.int(1, 3)] as const);
        const padding: Conv2dPadding =
          stride === 1 && g.chance(0.3) ? "same" : g.pick<Conv2dPadding>(["valid", 0, 1, [2, 1]]);
        const batched = g.chance(0.7);
        // Wider rows sometimes, so SIMD kernels run their 4- and 8-column paths too.
        const width = ww.size + (g.chance(0.5) ? g.int(4, 12) : 0);
        const x = g.input(dtype, [...(batched ? [g.int(1, 2)] : []), cin, wh.size, width], {
          specials: 0.03,
        });
        const w = g.input(dtype, [cout, cin / groups, wh.k, ww.k], { specials: 0.03 });
        const options = { stride, padding, dilation: [dh, dw] as const, groups };
        const label = `groups ${groups} stride ${JSON.stringify(stride)} padding ${JSON.stringify(padding)} dilation ${dh},${dw}`;
        return g.chance(0.3)
          ? sample(`${label}, no bias`, [x, w], (a, b) => conv2d(a, b, null, options))
          : sample(label, [x, w, g.input(dtype, [cout], { specials: 0.03 })], (a, b, c) =>
              conv2d(a, b, c, options),
            );
      }),
    ),
};

/** A pooling input of `dtype` and the attributes for it. */
function poolCase(g: SampleGen, dtype: DType, dilated: boolean) {
  const [dh, dw] = dilated ? [g.int(1, 2), g.int(1, 2)] : [1, 1];
  const [wh, ww] = [window(g, dh), window(g, dw)];
  const shape = [...(g.chance(0.7) ? [g.int(1, 2)] : []), g.int(1, 3), wh.size, ww.size];
  return {
    input: g.input(dtype, shape, { specials: 0.1 }),
    kernel: [wh.k, ww.k] as [number, number],
    stride: g.chance(0.4) ? undefined : ([g.int(1, 3), g.int(1, 3)] as [number, number]),
    padding: [g.int(0, wh.k >> 1), g.int(0, ww.k >> 1)] as [number, number],
    dilation: [dh, dw] as [number, number],
    ceilMode: g.chance(0.5),
  };
}

const maxPool2dEntry: OpEntry = {
  op: "max_pool2d",
  samples: (g) =>
    NUMERIC_DTYPES.flatMap((dtype) =>
      [0, 1, 2, 3].map(() => {
        const { input, kernel, ...options } = poolCase(g, dtype, true);
        return sample(`kernel ${kernel} ${JSON.stringify(options)}`, [input], (a) =>
          maxPool2d(a, kernel, options),
        );
      }),
    ),
};

const avgPool2dEntry: OpEntry = {
  op: "avg_pool2d",
  samples: (g) =>
    FLOAT_DTYPES.flatMap((dtype) =>
      Array.from({ length: 6 }, () => {
        const { input, kernel, dilation: _unused, ...rest } = poolCase(g, dtype, false);
        const options = {
          ...rest,
          countIncludePad: g.chance(0.5),
          divisorOverride: g.chance(0.3) ? g.pick([1, 3, -2]) : null,
        };
        return sample(`kernel ${kernel} ${JSON.stringify(options)}`, [input], (a) =>
          avgPool2d(a, kernel, options),
        );
      }),
    ),
};

/** Random problems of the property tests (random-cases.ts), each input in a random layout, sometimes with the reserved offset. */
const npuQuantConv2dEntry: OpEntry = {
  op: "npu_quant_conv2d",
  nanPayloadsNotCompared: "spec/quant-conv2d.md section 3 leaves the NaN payload unspecified",
  samples: (g) =>
    Array.from({ length: 8 }, (_, i) => {
      const p = randomQuantProblem(g.random);
      const q = p.g;
      const inputs = [
        g.input(int8, [q.n, q.cin, q.h, q.w], { values: p.input }),
        g.input(int8, [q.cout, q.cin, q.kh, q.kw], { values: p.weight }),
        g.input(int64, [q.cout], { values: p.scale }),
      ] as const;
      const attrs = {
        strides: [q.strideH, q.strideW],
        pads: [q.padH, q.padW],
        dilations: [q.dilationH, q.dilationW],
        offsetX: q.offsetX,
        outputDtype: float16,
      } as const;
      const label = `N${q.n} C${q.cin} ${q.h}x${q.w} -> ${q.cout}, k${q.kh}x${q.kw} s${q.strideH},${q.strideW} p${q.padH},${q.padW} d${q.dilationH},${q.dilationW} x0=${q.offsetX}`;
      if (!p.bias)
        return sample(`${label} no bias`, inputs, (x, w, s) => npuQuantConv2d(x, w, s, attrs), q);
      const bias = g.input(int32, [q.cout], { values: p.bias });
      if (i % 2 === 0)
        return sample(
          label,
          [...inputs, bias],
          (x, w, s, b) => npuQuantConv2d(x, w, s, { ...attrs, bias: b }),
          q,
        );
      const offset = g.input(float32, [q.cout]);
      return sample(
        `${label} with the reserved offset`,
        [...inputs, bias, offset],
        (x, w, s, b, o) => npuQuantConv2d(x, w, s, { ...attrs, bias: b, offset: o }),
        q,
      );
    }) satisfies Sample[],
};

export const linearEntries: OpEntry[] = [
  matmulEntry,
  conv2dEntry,
  maxPool2dEntry,
  avgPool2dEntry,
  npuQuantConv2dEntry,
];
