// npu_quantize in the conformance suite: the 18 golden vectors (eager and compiled) and seeded
// property tests against the spec-literal reference (referenceNpuQuantize), with inputs, scales
// and zero points in every layout (contiguous, reversed, gapped, stride 0), eager and compiled.
// docs/semantics/npu-quantize.md.

import { describe, expect, it } from "vitest";
import {
  Graph,
  dtypes,
  float16,
  float16BitsToNumber,
  float32,
  int32,
  int8,
  npuQuantize,
  uint8,
  type DType,
  type Tensor,
} from "@tsnpu/tensor";
import { npuQuantizeCases } from "./vectors.js";
import { fromRaw, npuQuantizeCaseCall } from "./case-runners.js";
import { referenceNpuQuantize } from "./reference.js";
import { SampleGen, contiguousOnCpu, materialize, type TensorInput } from "./op-table/inputs.js";

/** What a product's refusal rules judge about one npu_quantize call. */
export interface NpuQuantizeCall {
  readonly axis: number;
  readonly divMode: boolean;
  readonly inputDtype: DType;
  readonly scalesDtype: DType;
  readonly dtype: DType;
}

interface Options {
  readonly device: string;
  readonly refusesQuantize?: (c: NpuQuantizeCall) => RegExp | null;
}

/** The first index where two integer outputs differ, with both values, or null. */
function mismatch(got: ArrayLike<number>, want: ArrayLike<number>): string | null {
  if (got.length !== want.length) return `lengths ${got.length} / ${want.length}`;
  for (let i = 0; i < got.length; i++)
    if (got[i] !== want[i]) return `first difference at ${i}: got ${got[i]}, expected ${want[i]}`;
  return null;
}

/** Runs `call` eagerly and through a compiled graph whose input is `input`. */
function eagerAndCompiled(input: Tensor, call: (x: Tensor) => Tensor): [Tensor, Tensor] {
  const graph = Graph.trace((x) => call(x), [input]);
  try {
    return [call(input), graph.run(input) as Tensor];
  } finally {
    graph.dispose();
  }
}

function expectRefused(refusal: RegExp, run: () => unknown): void {
  expect(run).toThrow(refusal);
}

function describeVectors(options: Options): void {
  describe("npu_quantize golden vectors", () => {
    for (const c of npuQuantizeCases()) {
      const call: NpuQuantizeCall = {
        axis: c.axis,
        divMode: c.divMode,
        inputDtype: dtypes[c.input.dtype],
        scalesDtype: dtypes[c.scales.dtype],
        dtype: dtypes[c.dtype],
      };
      const refusal = options.refusesQuantize?.(call);
      it(`${c.name} (${c.rule})${refusal ? " is refused" : ": eager and compiled"}`, () => {
        const { input, run } = npuQuantizeCaseCall(c, options.device);
        if (refusal) {
          expectRefused(refusal, () => run(input));
          expectRefused(refusal, () => Graph.trace(run, [input]));
          return;
        }
        const want = [...(fromRaw(c.expected, "cpu").toTypedArray() as Int32Array)];
        for (const out of eagerAndCompiled(input, run)) {
          expect(out.dtype).toBe(call.dtype);
          expect([...out.shape]).toEqual(c.expected.shape);
          expect(mismatch(out.cpu().toTypedArray() as Int32Array, want)).toBeNull();
        }
      });
    }
  });
}

/** The logical values of an input as float32 numbers (float16 widened exactly). */
function valuesOf(input: TensorInput): number[] {
  const raw = contiguousOnCpu(input).toTypedArray() as Float32Array | Uint16Array | Int32Array;
  return input.dtype === float16 ? Array.from(raw, float16BitsToNumber) : Array.from(raw);
}

export interface PropertyCase {
  readonly label: string;
  readonly call: NpuQuantizeCall;
  readonly inputs: readonly TensorInput[];
}

/** A random npu_quantize call: rank, axis, div mode, dtypes, per-tensor or per-channel, layouts, specials. */
export function randomQuantizeCase(g: SampleGen, i: number): PropertyCase {
  const rank = g.int(1, 4);
  const shape = g.shape(4, 6, rank);
  const divMode = !g.chance(0.3);
  const axis = divMode ? g.int(-rank, rank - 1) : g.pick(rank >= 2 ? [-2, -1, 0, 1] : [-1, 0, 3]);
  const channel = divMode ? (axis + rank) % rank : axis === -2 ? rank - 2 : rank - 1;
  const inputDtype = g.pick([float32, float16]);
  const scalesDtype = divMode ? float32 : g.pick([float32, float16]);
  const dtype = divMode ? g.pick([int8, uint8, int32]) : int8;
  const len = g.chance(0.3) ? 1 : shape[channel]!;
  const zpDtype = divMode ? g.pick([int8, uint8, int32]) : scalesDtype;
  const specials = g.pick([0, 0.05, 0.3]);
  const inputs = [
    g.input(inputDtype, shape, { specials }),
    g.input(scalesDtype, [len], { specials: specials / 3 }),
    ...(g.chance(0.3) ? [] : [g.input(zpDtype, [len], { specials })]),
  ];
  const layouts = inputs.map((t) => t.layout).join("/");
  return {
    label: `#${i}: ${inputDtype.name}[${shape}] axis ${axis} divMode ${divMode} -> ${dtype.name}, ${len} scale(s)${inputs[2] ? `, ${zpDtype.name} zero points` : ""} (${layouts})`,
    call: { axis, divMode, inputDtype, scalesDtype, dtype },
    inputs,
  };
}

function describeProperties(options: Options): void {
  describe("npu_quantize property tests against the spec-literal reference", () => {
    const g = new SampleGen(20261202);
    for (let i = 0; i < 40; i++) {
      const p = randomQuantizeCase(g, i);
      it(p.label, () => {
        const { call } = p;
        const [input, scales, zeroPoints] = p.inputs.map((t) => materialize(t, options.device));
        const run = (x: Tensor) =>
          npuQuantize(x, scales!, zeroPoints ?? null, call.dtype, {
            axis: call.axis,
            divMode: call.divMode,
          });
        const refusal = options.refusesQuantize?.(call);
        if (refusal) {
          expectRefused(refusal, () => run(input!));
          return;
        }
        const shape = p.inputs[0]!.shape;
        const rank = shape.length;
        const axis = call.divMode
          ? (call.axis + rank) % rank
          : call.axis === -2
            ? rank - 2
            : rank - 1;
        const [x, s, z] = p.inputs.map(valuesOf);
        const want = referenceNpuQuantize(
          shape,
          x!,
          s!,
          z ?? null,
          axis,
          call.divMode,
          call.dtype.name as "int8",
        );
        for (const out of eagerAndCompiled(input!, run))
          expect(mismatch(out.cpu().toTypedArray() as Int32Array, want)).toBeNull();
      });
    }
  });
}

export function describeNpuQuantize(options: Options): void {
  describeVectors(options);
  describeProperties(options);
}
