// Whether one outcome is right: the expected refusal, or the oracle's bits (NaN payloads aside).

import { describeMismatch } from "@tsnpu/conformance";
import { outputShape, type FuzzCase } from "./cases.js";
import { expectedResult } from "./expected.js";
import { runCase, type Mode, type Outcome } from "./run.js";
import type { Target } from "./targets.js";

export type Verdict = "ok" | "refused" | "mismatch" | "error";

export interface Judgement {
  readonly verdict: Verdict;
  /** What went wrong (mismatch, error), or the refusal message. */
  readonly detail: string;
}

function expectedShape(c: FuzzCase): number[] {
  return c.kind === "trans-quant-param"
    ? [Math.max(c.scaleBits.length, c.offset?.length ?? 0)]
    : outputShape(c);
}

function compareValues(
  actual: Uint16Array | BigInt64Array,
  expected: Uint16Array | BigInt64Array,
): string | null {
  if (actual instanceof Uint16Array && expected instanceof Uint16Array)
    return describeMismatch(actual, expected);
  if (actual instanceof BigInt64Array && expected instanceof BigInt64Array) {
    const i = actual.findIndex((w, k) => w !== expected[k]);
    if (actual.length === expected.length && i < 0) return null;
    const hex = (w: bigint | undefined) =>
      w === undefined ? "none" : `0x${BigInt.asUintN(64, w).toString(16)}`;
    return `lengths ${actual.length}/${expected.length}; first difference at ${i}: got ${hex(actual[i])}, expected ${hex(expected[i])}`;
  }
  return `got a ${actual.constructor.name}, expected a ${expected.constructor.name}`;
}

/** Judges `outcome` of `target` against `oracle` (the reference's or cpu's result). */
export function judge(
  c: FuzzCase,
  target: Target,
  outcome: Outcome,
  oracle: Uint16Array | BigInt64Array,
): Judgement {
  const refusal = c.kind === "trans-quant-param" ? null : target.refusal(c.g);
  if (outcome.status === "error") return { verdict: "error", detail: outcome.message };
  if (outcome.status === "refused") {
    if (refusal !== null && outcome.rules.includes(refusal))
      return { verdict: "refused", detail: refusal };
    return {
      verdict: "error",
      detail: `refused with "${outcome.message}", expected ${refusal === null ? "a result" : `the refusal "${refusal}"`}`,
    };
  }
  if (refusal !== null)
    return { verdict: "error", detail: `gave a result, expected the refusal "${refusal}"` };
  const shape = expectedShape(c);
  if (outcome.shape.join() !== shape.join())
    return { verdict: "mismatch", detail: `shape [${outcome.shape}], expected [${shape}]` };
  const expected = oracle instanceof Uint16Array ? target.adjust(oracle) : oracle;
  const mismatch = compareValues(outcome.value, expected);
  return mismatch === null
    ? { verdict: "ok", detail: "" }
    : { verdict: "mismatch", detail: `${mismatch} (vs ${target.oracle})` };
}

/** The oracle of every non-cpu target: cpu's eager result, or the reference when cpu gave none. */
export function cpuOracle(
  c: FuzzCase,
  cpu: Target,
  reference: Uint16Array | BigInt64Array,
): Uint16Array | BigInt64Array {
  const outcome = runCase(c, cpu, "eager");
  return outcome.status === "ok" ? outcome.value : reference;
}

/** Runs and judges one case on one target and mode, from scratch (for replays and shrinking). */
export function check(
  c: FuzzCase,
  targets: readonly Target[],
  target: Target,
  mode: Mode,
): Judgement {
  const reference = expectedResult(c);
  const oracle = target.oracle === "reference" ? reference : cpuOracle(c, targets[0]!, reference);
  return judge(c, target, runCase(c, target, mode), oracle);
}
