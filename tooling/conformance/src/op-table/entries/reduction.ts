// Entries of the reductions: sum, mean, amax, amin, argmax.

import {
  amax,
  amin,
  argmax,
  mean,
  sum,
  type DType,
  type ReductionOpName,
  type Tensor,
} from "@tsnpu/tensor";
import { sample, type OpEntry, type Sample } from "../entry.js";
import type { SampleGen } from "../inputs.js";
import { ALL_DTYPES, FLOAT_DTYPES, NUMERIC_DTYPES } from "../dtypes.js";

type Dims = number | readonly number[] | undefined;

const reductionFns: Record<
  ReductionOpName,
  (a: Tensor, dim?: number | readonly number[], keepdim?: boolean) => Tensor
> = { sum, mean, amax, amin };

/** All dims (omitted or []), one dim (maybe negative), or two distinct dims of an `ndim`-D tensor. */
function drawDims(g: SampleGen, ndim: number): Dims {
  const choice = ndim === 0 ? g.int(0, 1) : g.int(0, 4);
  if (choice === 0) return undefined;
  if (choice === 1) return [];
  if (choice === 2 || ndim < 2) return g.int(-ndim, ndim - 1);
  const first = g.int(0, ndim - 1);
  const second = (first + g.int(1, ndim - 1)) % ndim;
  return [first, second - (g.chance(0.5) ? ndim : 0)];
}

/** Measured in backend-wasm/test/reduction.test.ts; torch does not specify them either. */
const NAN_REASON =
  "the cpu reference's sign and payload of a NaN result depend on V8's internal array element kinds";

function reductionEntry(
  op: ReductionOpName,
  dtypes: readonly DType[],
  allowsEmpty: boolean,
): OpEntry {
  const fn = reductionFns[op];
  return {
    op,
    nanPayloadsNotCompared: NAN_REASON,
    samples: (g) => {
      const out: Sample[] = [];
      for (const dtype of dtypes) {
        for (let i = 0; i < 5; i++) {
          const shape = g.shape(4, 7);
          const dims = drawDims(g, shape.length);
          const keepdim = g.chance(0.5);
          // Mostly plain values, so that long float sums round rather than turn into NaN at once.
          const input = g.input(dtype, shape, { specials: i < 3 ? 0.02 : 0.25 });
          out.push(
            sample(`dim ${JSON.stringify(dims)}${keepdim ? " keepdim" : ""}`, [input], (a) =>
              fn(a, dims, keepdim),
            ),
          );
        }
        if (allowsEmpty)
          out.push(sample("an empty reduced dim", [g.input(dtype, [2, 0, 3])], (a) => fn(a, 1)));
      }
      return out;
    },
  };
}

const argmaxEntry: OpEntry = {
  op: "argmax",
  samples: (g) =>
    NUMERIC_DTYPES.flatMap((dtype) =>
      [0, 1, 2, 3].map(() => {
        const shape = g.shape(4, 7);
        const dim =
          shape.length > 0 && g.chance(0.7) ? g.int(-shape.length, shape.length - 1) : undefined;
        const keepdim = g.chance(0.5);
        return sample(
          `dim ${dim}${keepdim ? " keepdim" : ""}`,
          [g.input(dtype, shape, { specials: 0.1 })],
          (a) => argmax(a, dim, keepdim),
        );
      }),
    ),
};

export const reductionEntries: OpEntry[] = [
  reductionEntry("sum", ALL_DTYPES, true),
  reductionEntry("mean", FLOAT_DTYPES, true),
  reductionEntry("amax", ALL_DTYPES, false),
  reductionEntry("amin", ALL_DTYPES, false),
  argmaxEntry,
];
