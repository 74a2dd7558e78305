// Entries of the layout ops (device-agnostic kernels, still run on each device's storage):
// as_strided (through every view function), copy, cast, npu_trans_quant_param.

import { asStrided, cast, copy, float32, npuTransQuantParam, type Tensor } from "@tsnpu/tensor";
import { sample, type OpEntry } from "../entry.js";
import type { SampleGen } from "../inputs.js";
import { ALL_DTYPES } from "../dtypes.js";

/** A view function applicable to a tensor of this shape, with its label. */
function drawView(g: SampleGen, shape: readonly number[]): [string, (t: Tensor) => Tensor] {
  const nd = shape.length;
  const at = g.int(-nd - 1, nd);
  const views: [string, (t: Tensor) => Tensor][] = [
    [`unsqueeze(${at})`, (t) => t.unsqueeze(at)],
    ["squeeze", (t) => t.squeeze()],
    ["flatten", (t) => t.flatten()],
  ];
  if (nd >= 1) {
    const d = g.int(0, nd - 1);
    const start = g.int(0, shape[d]! - 1);
    views.push(
      [`narrow(${d}, ${start})`, (t) => t.narrow(d, start, shape[d]! - start)],
      [`select(${d}, ${start})`, (t) => t.select(d, start)],
      ["permute (reversed)", (t) => t.permute([...shape.keys()].reverse())],
      // Overlapping windows of length 2 along a flattened dim (stride 1), and a repeated element (stride 0).
      [
        "as_strided overlapping",
        (t) =>
          t.numel() >= 2 ? asStrided(t.flatten(), [t.numel() - 1, 2], [1, 1]) : t.unsqueeze(0),
      ],
      ["as_strided stride 0", (t) => asStrided(t.flatten(), [3, t.numel()], [0, 1])],
    );
  }
  if (nd >= 2) views.push(["transpose(0, -1)", (t) => t.transpose(0, -1)]);
  return g.pick(views);
}

const asStridedEntry: OpEntry = {
  op: "as_strided",
  returnsViews: true,
  samples: (g) =>
    ALL_DTYPES.flatMap((dtype) =>
      [0, 1, 2, 3].map(() => {
        const shape = g.shape(4, 5);
        const [label, view] = drawView(g, shape);
        return sample(label, [g.input(dtype, shape)], view);
      }),
    ),
};

const copyEntry: OpEntry = {
  op: "copy",
  samples: (g) =>
    ALL_DTYPES.flatMap((dtype) =>
      [0, 1, 2].map(() => sample("copy", [g.input(dtype, g.shape(4, 6))], copy)),
    ),
};

/** Every ordered pair of distinct dtypes, edge values included (NaN and infinities to integers, int64 extremes to float16, ...). */
const castEntry: OpEntry = {
  op: "cast",
  samples: (g) =>
    ALL_DTYPES.flatMap((from) =>
      ALL_DTYPES.filter((to) => to !== from).map((to) =>
        sample(`to ${to.name}`, [g.input(from, g.shape(3, 6), { specials: 0.5 })], (a) =>
          cast(a, to),
        ),
      ),
    ),
};

const npuTransQuantParamEntry: OpEntry = {
  op: "npu_trans_quant_param",
  samples: (g) =>
    Array.from({ length: 12 }, () => {
      const n = g.int(1, 9);
      const scaleShape = g.chance(0.3) ? [1, n] : [n];
      const scale = g.input(float32, scaleShape, { specials: 0.3 });
      if (g.chance(0.3)) return sample("no offset", [scale], (s) => npuTransQuantParam(s));
      const offset = g.input(float32, g.pick([[n], [1], [1, n]]), { specials: 0.3 });
      return sample("with offset", [scale, offset], (s, o) => npuTransQuantParam(s, o));
    }),
};

export const layoutEntries: OpEntry[] = [
  asStridedEntry,
  copyEntry,
  castEntry,
  npuTransQuantParamEntry,
];
