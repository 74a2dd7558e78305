// Entries of the elementwise family: add, sub, mul, div, neg, abs, relu, clamp.

import {
  abs,
  add,
  bool,
  clamp,
  div,
  mul,
  neg,
  relu,
  sub,
  type BinaryOpName,
  type Operand,
  type Tensor,
  type UnaryOpName,
} from "@tsnpu/tensor";
import { sample, type OpEntry, type Sample } from "../entry.js";
import { ALL_DTYPES, NUMERIC_DTYPES, broadcastPair, scalarOperand } from "../dtypes.js";

const binaryFns: Record<BinaryOpName, (a: Tensor, b: Operand, alpha?: number) => Tensor> = {
  add,
  sub,
  mul,
  div,
};

/** Every dtype with itself (same shape, broadcast, a JS scalar, a 0-d tensor), mixed dtypes, alpha, empty tensors. */
function binaryEntry(op: BinaryOpName): OpEntry {
  const fn = binaryFns[op];
  const hasAlpha = op === "add" || op === "sub";
  // torch refuses sub on two bools.
  const accepts = (aIsBool: boolean, bIsBool: boolean) => op !== "sub" || !(aIsBool && bIsBool);
  return {
    op,
    samples: (g) => {
      const out: Sample[] = [];
      for (const dtype of ALL_DTYPES) {
        if (op === "sub" && dtype === bool) continue;
        const shape = g.shape();
        out.push(
          sample("same shape", [g.input(dtype, shape), g.input(dtype, shape)], (a, b) => fn(a, b)),
        );
        const [sa, sb] = broadcastPair(g);
        out.push(sample("broadcast", [g.input(dtype, sa), g.input(dtype, sb)], (a, b) => fn(a, b)));
        out.push(
          sample("0-d other", [g.input(dtype, g.shape(3)), g.input(dtype, [])], (a, b) => fn(a, b)),
        );
        out.push(
          sample("empty", [g.input(dtype, [2, 0, 3]), g.input(dtype, [1, 3])], (a, b) => fn(a, b)),
        );
        const s = scalarOperand(g);
        if (accepts(dtype === bool, typeof s === "boolean"))
          out.push(sample(`scalar ${String(s)}`, [g.input(dtype, g.shape())], (a) => fn(a, s)));
        if (hasAlpha) {
          const alpha = dtype.kind === "float" ? g.pick([0.5, -3, 1e10, 1e-8]) : g.pick([2, -3, 0]);
          out.push(
            sample(`alpha ${alpha}`, [g.input(dtype, shape), g.input(dtype, shape)], (a, b) =>
              fn(a, b, alpha),
            ),
          );
        }
      }
      for (let i = 0; i < 24; i++) {
        const [da, db] = [g.pick(ALL_DTYPES), g.pick(ALL_DTYPES)];
        if (!accepts(da === bool, db === bool)) continue;
        const [sa, sb] = broadcastPair(g);
        out.push(
          sample("mixed dtypes", [g.input(da, sa), g.input(db, g.chance(0.2) ? [] : sb)], (a, b) =>
            fn(a, b),
          ),
        );
      }
      return out;
    },
  };
}

const unaryFns: Record<UnaryOpName, (a: Tensor) => Tensor> = { neg, abs, relu };

/** Every numeric dtype (bool is refused), random shapes and layouts, 0-d and empty tensors. */
function unaryEntry(op: UnaryOpName): OpEntry {
  return {
    op,
    samples: (g) =>
      NUMERIC_DTYPES.flatMap((dtype) => [
        ...[0, 1, 2].map(() => sample("random", [g.input(dtype, g.shape(4, 7))], unaryFns[op])),
        sample("0-d", [g.input(dtype, [])], unaryFns[op]),
        sample("empty", [g.input(dtype, [3, 0])], unaryFns[op]),
      ]),
  };
}

const clampEntry: OpEntry = {
  op: "clamp",
  samples: (g) => {
    const out: Sample[] = [];
    for (const dtype of NUMERIC_DTYPES) {
      // Integer bounds must fit the (integer) result; float bounds make it float32.
      const bounds =
        dtype.kind === "int"
          ? [null, 0, 6, -6, 100, -100, 0.1, Infinity, -Infinity, Number.NaN]
          : [null, 0, -0, 6, -6, 0.1, 1e-7, 65519, 70000, Infinity, -Infinity, Number.NaN];
      for (let i = 0; i < 4; i++) {
        const [lo, hi] = [g.pick(bounds), g.pick(bounds)];
        if (lo === null && hi === null) continue;
        out.push(
          sample(`min ${lo}, max ${hi}`, [g.input(dtype, g.shape())], (a) => clamp(a, lo, hi)),
        );
      }
    }
    return out;
  },
};

export const elementwiseEntries: OpEntry[] = [
  ...(["add", "sub", "mul", "div"] as const).map(binaryEntry),
  ...(["neg", "abs", "relu"] as const).map(unaryEntry),
  clampEntry,
];
