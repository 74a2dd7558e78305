// Entries of the float ops ONNX import needs: the activations and transcendentals, pow, prelu,
// softmax (float16 and float32), and the layout ops cat, constant_pad_nd and resize (every dtype).

import {
  cat,
  constantPadNd,
  exp,
  float16,
  float32,
  hardsigmoid,
  hardswish,
  leakyRelu,
  pow,
  prelu,
  resize,
  sigmoid,
  softmax,
  sqrt,
  tanh,
  type Tensor,
} from "@tsnpu/tensor";
import { sample, type OpEntry, type Sample } from "../entry.js";
import { ALL_DTYPES, broadcastPair, scalarOperand } from "../dtypes.js";
import type { SampleGen } from "../inputs.js";

const FLOATS = [float16, float32] as const;
const NAN_REASON =
  "a NaN made by arithmetic (sqrt(-1), inf - inf) has the engine's payload and sign: V8 on x86 and wasm differ";

/** Values in [-r, r] where the transcendentals are neither 0 nor saturated. */
const moderate = (g: SampleGen, n: number, r: number) =>
  Array.from({ length: n }, () => (g.random() - 0.5) * 2 * r);

function floatUnaryEntry(op: string, fn: (x: Tensor) => Tensor): OpEntry {
  return {
    op,
    nanPayloadsNotCompared: NAN_REASON,
    samples: (g) =>
      FLOATS.flatMap((dtype) => [
        ...[0, 1, 2].map(() => sample("edges", [g.input(dtype, g.shape(4, 7))], fn)),
        ...[0, 1].map(() => {
          const shape = g.shape(3, 9, 3);
          const values = moderate(
            g,
            shape.reduce((a, b) => a * b, 1),
            12,
          );
          return sample("moderate", [g.input(dtype, shape, { values })], fn);
        }),
        sample("0-d", [g.input(dtype, [])], fn),
        sample("empty", [g.input(dtype, [3, 0])], fn),
      ]),
  };
}

const powEntry: OpEntry = {
  op: "pow",
  nanPayloadsNotCompared: NAN_REASON,
  samples: (g) => {
    const out: Sample[] = [];
    for (const dtype of FLOATS) {
      const [sa, sb] = broadcastPair(g);
      out.push(sample("tensors", [g.input(dtype, sa), g.input(dtype, sb)], (a, b) => pow(a, b)));
      const n = 24;
      const base = moderate(g, n, 4);
      const exps = moderate(g, n, 4).map((v, i) => (i % 3 === 0 ? Math.round(v) : v));
      out.push(
        sample(
          "moderate",
          [g.input(dtype, [n], { values: base }), g.input(dtype, [n], { values: exps })],
          (a, b) => pow(a, b),
        ),
      );
      for (const e of [2, 0.5, 3, -1, -2.5, 0, Number.NaN, Infinity, scalarOperand(g)])
        if (typeof e !== "boolean")
          out.push(sample(`scalar ${e}`, [g.input(dtype, g.shape())], (a) => pow(a, e)));
    }
    return out;
  },
};

const preluEntry: OpEntry = {
  op: "prelu",
  samples: (g) =>
    FLOATS.flatMap((dtype) => {
      const shape = g.shape(4, 5, 4);
      const channel = shape.map((s, d) => (d === 1 ? s : 1)).slice(1);
      return [
        sample("per channel", [g.input(dtype, shape), g.input(dtype, channel)], prelu),
        sample("same shape", [g.input(dtype, shape), g.input(dtype, shape)], prelu),
        sample("one slope", [g.input(dtype, shape), g.input(dtype, [1])], prelu),
      ];
    }),
};

const softmaxEntry: OpEntry = {
  op: "softmax",
  nanPayloadsNotCompared: NAN_REASON,
  samples: (g) =>
    FLOATS.flatMap((dtype) =>
      [0, 1, 2, 3].flatMap(() => {
        const shape = g.shape(4, 7, g.int(1, 4));
        const dim = g.int(-shape.length, shape.length - 1);
        const n = shape.reduce((a, b) => a * b, 1);
        return [
          sample(`edges dim ${dim}`, [g.input(dtype, shape)], (a) => softmax(a, dim)),
          sample(
            `moderate dim ${dim}`,
            [g.input(dtype, shape, { values: moderate(g, n, 30) })],
            (a) => softmax(a, dim),
          ),
        ];
      }),
    ),
};

const catEntry: OpEntry = {
  op: "cat",
  samples: (g) =>
    ALL_DTYPES.flatMap((dtype) =>
      [2, 3].map((count) => {
        const shape = g.shape(4, 4, g.int(1, 4));
        const dim = g.int(0, shape.length - 1);
        const inputs = Array.from({ length: count }, () => {
          const s = [...shape];
          s[dim] = g.int(0, 3);
          return g.input(dtype, s);
        });
        return {
          label: `${count} tensors, dim ${dim}`,
          inputs,
          run: (ts: readonly Tensor[]) => cat(ts, dim),
        };
      }),
    ),
};

const padEntry: OpEntry = {
  op: "constant_pad_nd",
  samples: (g) =>
    ALL_DTYPES.flatMap((dtype) =>
      [0, 1].map(() => {
        const shape = g.shape(4, 5, g.int(1, 4));
        const pad = Array.from({ length: 2 * g.int(1, shape.length) }, () => g.int(-1, 2));
        const value = dtype.kind === "bool" ? 1 : g.pick([0, -0, 1.5, 3, -7]);
        return sample(`pad [${pad}] value ${value}`, [g.input(dtype, shape)], (a) =>
          constantPadNd(a, pad, value),
        );
      }),
    ),
};

const resizeEntry: OpEntry = {
  op: "resize",
  samples: (g) => {
    const out: Sample[] = [];
    const ctms = ["half_pixel", "pytorch_half_pixel", "align_corners", "asymmetric"] as const;
    const nearestModes = ["round_prefer_floor", "round_prefer_ceil", "floor", "ceil"] as const;
    for (const dtype of ALL_DTYPES) {
      const shape = [1, 2, g.int(1, 5), g.int(1, 5)];
      const size = [1, 2, g.int(1, 9), g.int(1, 9)];
      const coordinateTransformationMode = g.pick(ctms);
      const nearestMode = g.pick(nearestModes);
      out.push(
        sample(
          `nearest ${coordinateTransformationMode} ${nearestMode}`,
          [g.input(dtype, shape)],
          (a) => resize(a, size, { coordinateTransformationMode, nearestMode }),
        ),
      );
    }
    for (const dtype of FLOATS)
      for (const coordinateTransformationMode of ctms) {
        const size = [1, 2, g.int(1, 9), g.int(1, 9)];
        out.push(
          sample(
            `linear ${coordinateTransformationMode}`,
            [g.input(dtype, [1, 2, g.int(1, 5), g.int(1, 5)])],
            (a) => resize(a, size, { mode: "linear", coordinateTransformationMode }),
          ),
        );
      }
    return out;
  },
};

export const activationEntries: OpEntry[] = [
  floatUnaryEntry("exp", exp),
  floatUnaryEntry("sigmoid", sigmoid),
  floatUnaryEntry("tanh", tanh),
  floatUnaryEntry("sqrt", sqrt),
  floatUnaryEntry("hardswish", hardswish),
  floatUnaryEntry("hardsigmoid", (x) => hardsigmoid(x, 0.2, 0.5)),
  floatUnaryEntry("leaky_relu", (x) => leakyRelu(x, 0.1)),
  powEntry,
  preluEntry,
  softmaxEntry,
  catEntry,
  padEntry,
  resizeEntry,
];
