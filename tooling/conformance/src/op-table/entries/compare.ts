// Entries of the comparisons: eq, where, isclose.

import { bool, eq, isclose, where, type Operand } from "@tsnpu/tensor";
import { sample, type OpEntry, type Sample } from "../entry.js";
import { ALL_DTYPES, broadcastPair, scalarOperand } from "../dtypes.js";

const eqEntry: OpEntry = {
  op: "eq",
  samples: (g) => {
    const out: Sample[] = [];
    for (const dtype of ALL_DTYPES) {
      const shape = g.shape();
      const x = g.input(dtype, shape);
      // The same values in another layout: equal pairs occur (and NaN != NaN).
      out.push(sample("against itself", [x, { ...x, layout: "contiguous" }], (a, b) => eq(a, b)));
      const [sa, sb] = broadcastPair(g);
      out.push(sample("broadcast", [g.input(dtype, sa), g.input(dtype, sb)], (a, b) => eq(a, b)));
      const s = scalarOperand(g);
      out.push(sample(`scalar ${String(s)}`, [g.input(dtype, g.shape())], (a) => eq(a, s)));
      const other = g.pick(ALL_DTYPES);
      out.push(
        sample("mixed dtypes", [g.input(dtype, shape), g.input(other, shape)], (a, b) => eq(a, b)),
      );
    }
    return out;
  },
};

const whereEntry: OpEntry = {
  op: "where",
  samples: (g) => {
    const out: Sample[] = [];
    for (const dtype of ALL_DTYPES) {
      const [sc, sx] = broadcastPair(g);
      const cond = g.input(bool, sc);
      out.push(
        sample("tensors", [cond, g.input(dtype, sx), g.input(dtype, sc)], (c, a, b) =>
          where(c, a, b),
        ),
      );
      const other = g.pick(ALL_DTYPES);
      out.push(
        sample("mixed dtypes", [cond, g.input(dtype, sc), g.input(other, sx)], (c, a, b) =>
          where(c, a, b),
        ),
      );
      const s: Operand = dtype === bool ? true : g.pick([0, 7, -1.5, Number.NaN]);
      out.push(
        sample(`scalar other ${String(s)}`, [cond, g.input(dtype, sx)], (c, a) => where(c, a, s)),
      );
      out.push(
        sample(`scalar self ${String(s)}`, [cond, g.input(dtype, sx)], (c, b) => where(c, s, b)),
      );
    }
    return out;
  },
};

const iscloseEntry: OpEntry = {
  op: "isclose",
  samples: (g) =>
    ALL_DTYPES.flatMap((dtype) =>
      [0, 1, 2].map(() => {
        const [sa, sb] = broadcastPair(g);
        const rtol = g.pick([0, 1e-5, 0.1]);
        const atol = g.pick([0, 1e-8, 1]);
        const equalNan = g.chance(0.5);
        return sample(
          `rtol ${rtol} atol ${atol}${equalNan ? " equalNan" : ""}`,
          [g.input(dtype, sa), g.input(dtype, sb)],
          (a, b) => isclose(a, b, rtol, atol, equalNan),
        );
      }),
    ),
};

export const compareEntries: OpEntry[] = [eqEntry, whereEntry, iscloseEntry];
