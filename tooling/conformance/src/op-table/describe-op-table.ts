// Runs the op table on one device: every op the device's backend registers (its own kernels and
// the device-agnostic "*" ones) must have an entry, and every sample of the entry must give, on
// the device and in the sample's layouts, what the cpu backend gives on contiguous copies: same
// device, dtype, shape, every bit (NaN payloads too, unless the entry says why not), contiguous
// outputs (except views), and untouched inputs. A call the backend's kernel declines
// (`supports`: KernelNotFoundError) is allowed, but each op must run at least one sample.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ANY_BACKEND,
  Device,
  KernelNotFoundError,
  fallbackOf,
  float16,
  kernelsOf,
  setFallback,
  type FallbackPolicy,
  type QuantConv2dGeometry,
  type Tensor,
} from "@tsnpu/tensor";
import { elementHex, elementsOf, firstElementMismatch } from "./element-bits.js";
import { describeInput, type OpEntry, type Sample } from "./entry.js";
import { SampleGen, contiguousOnCpu, materialize, seedOf } from "./inputs.js";
import { opTable } from "./table.js";

/** The ops tensors on `backend`'s devices run without a fallback: its own kernels and the device-agnostic ones. */
export function opsRunOn(backend: string): string[] {
  return [...new Set([...kernelsOf(backend), ...kernelsOf(ANY_BACKEND)])].sort();
}

/** The part of ConformanceOptions (suite.ts) the table reads. */
export interface OpTableOptions {
  readonly device: string;
  /** "op <name>" -> the written reason that op's samples are skipped on this backend. */
  readonly skip?: Readonly<Record<string, string>>;
  /** npu_quant_conv2d samples: the error this backend must throw for a geometry it refuses, or null. */
  readonly refuses?: (g: QuantConv2dGeometry) => RegExp | null;
  /** npu_quant_conv2d samples (and `adjustsOp` ops): how this backend's float16 bits differ from the cpu's. */
  readonly adjustExpected?: (bits: Uint16Array) => Uint16Array;
  /** Other ops whose float16 results differ the same way (e.g. every Vector op on the 310P). */
  readonly adjustsOp?: (op: string) => boolean;
}

/** Ops that run on `backend` but have no entry in the table: the coverage gap. */
export function opsWithoutEntry(backend: string): string[] {
  return opsRunOn(backend).filter((op) => !opTable.has(op));
}

type Outcome =
  | { readonly kind: "ran" | "declined" | "refused" }
  | { readonly kind: "failed"; readonly message: string };

const messageOf = (e: unknown) => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));

function check(entry: OpEntry, s: Sample, options: OpTableOptions): Outcome {
  const fail = (message: string): Outcome => ({ kind: "failed", message });
  let want: Tensor;
  try {
    want = s.run(s.inputs.map(contiguousOnCpu));
  } catch (e) {
    return fail(`the sample is invalid: the cpu reference throws ${messageOf(e)}`);
  }
  const device = Device.of(options.device);
  const inputs = s.inputs.map((input) => materialize(input, options.device));
  const before = inputs.map(elementsOf);
  let got: Tensor | undefined;
  try {
    const refusal = s.quantConv2d && options.refuses?.(s.quantConv2d);
    if (refusal) {
      try {
        got = s.run(inputs);
      } catch (e) {
        return refusal.test(e instanceof Error ? e.message : String(e))
          ? { kind: "refused" }
          : fail(`throws ${messageOf(e)}, expected ${refusal}`);
      }
      return fail(`runs, but this backend must refuse it (${refusal})`);
    }
    try {
      got = s.run(inputs);
    } catch (e) {
      if (e instanceof KernelNotFoundError && device.type !== "cpu") return { kind: "declined" };
      return fail(`throws ${messageOf(e)}`);
    }
    if (!got.device.equals(device)) return fail(`result on ${got.device}, expected ${device}`);
    const [gotMeta, wantMeta] = [got, want].map((t) => `${t.dtype.name}[${t.shape.join(", ")}]`);
    if (gotMeta !== wantMeta) return fail(`result ${gotMeta}, expected ${wantMeta}`);
    if (!entry.returnsViews && !got.isContiguous())
      return fail(`non-contiguous result (strides [${got.strides.join(", ")}])`);
    const values = elementsOf(got);
    const reference = elementsOf(want);
    const adjusted =
      s.quantConv2d || (want.dtype === float16 && options.adjustsOp?.(entry.op) === true);
    const expected =
      adjusted && options.adjustExpected
        ? options.adjustExpected(reference as Uint16Array)
        : reference;
    const k = firstElementMismatch(want.dtype, values, expected, !entry.nanPayloadsNotCompared);
    if (k >= 0)
      return fail(
        `element ${k} is ${elementHex(want.dtype, values, k)}, expected ${elementHex(want.dtype, expected, k)}`,
      );
    const changed = inputs.findIndex(
      (t, i) => firstElementMismatch(t.dtype, elementsOf(t), before[i]!, true) >= 0,
    );
    if (changed >= 0) return fail(`input ${changed} was modified`);
    return { kind: "ran" };
  } finally {
    // wasm memory is invisible to the garbage collector: free it now.
    got?.dispose();
    for (const t of inputs) t.dispose();
  }
}

export interface EntryResult {
  readonly samples: number;
  /** Samples that ran on the device and matched, that the backend declined, that it refused as it must. */
  readonly ran: number;
  readonly declined: number;
  readonly refused: number;
  /** One line per failed sample: which sample, its inputs, what differed. */
  readonly failures: string[];
}

/** Runs every sample of `entry` on `options.device` against the cpu reference. */
export function runEntry(entry: OpEntry, options: OpTableOptions): EntryResult {
  const samples = entry.samples(new SampleGen(seedOf(entry.op)));
  const counts = { ran: 0, declined: 0, refused: 0 };
  const failures: string[] = [];
  samples.forEach((s, i) => {
    const outcome = check(entry, s, options);
    if (outcome.kind === "failed")
      failures.push(
        `#${i} ${s.label} (${s.inputs.map(describeInput).join(", ")}): ${outcome.message}`,
      );
    else counts[outcome.kind]++;
  });
  return { samples: samples.length, ...counts, failures };
}

/** `describe`s the op table on `options.device`; skip an op with `options.skip["op <name>"]`. */
export function describeOpTable(options: OpTableOptions): void {
  const backend = Device.of(options.device).type;
  describe("op table against the cpu", () => {
    // A declined call must surface as KernelNotFoundError, not run on the cpu behind copies.
    let fallback: FallbackPolicy;
    beforeAll(() => {
      fallback = fallbackOf(backend);
      setFallback(backend, "refuse");
    });
    afterAll(() => setFallback(backend, fallback));

    it(`has an entry for every op that runs on "${backend}"`, () => {
      expect(
        opsWithoutEntry(backend),
        "add an entry to tooling/conformance/src/op-table/table.ts",
      ).toEqual([]);
    });
    it("has no entry for an op the cpu reference lacks", () => {
      const reference = new Set(opsRunOn("cpu"));
      expect(
        [...opTable.keys()].filter((op) => !reference.has(op)),
        "import @tsnpu/backend-cpu before the suite",
      ).toEqual([]);
    });

    for (const op of opsRunOn(backend)) {
      const entry = opTable.get(op);
      if (!entry) continue;
      const nan = entry.nanPayloadsNotCompared
        ? ` (NaN payloads not compared: ${entry.nanPayloadsNotCompared})`
        : "";
      const reason = options.skip?.[`op ${op}`];
      if (reason) {
        it.skip(`${op} — skipped: ${reason}`, () => {});
        continue;
      }
      it(`${op}${nan}`, () => {
        const r = runEntry(entry, options);
        expect(
          r.failures.slice(0, 8),
          `${r.failures.length} of ${r.samples} samples failed`,
        ).toEqual([]);
        expect(
          r.ran + r.refused,
          `the "${backend}" kernel declined all ${r.samples} samples: add samples it supports`,
        ).toBeGreaterThan(0);
      });
    }
  });
}
