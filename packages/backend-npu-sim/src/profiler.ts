// Collecting the simulator's profiles around a block of code, like torch_npu's profiler:
//   const { result, profile } = npu.profile(() => model(x));
//   console.log(profile.toString());   // one row per layer, totals, time per unit
//   JSON.stringify(profile);           // toJSON(); profile.toChromeTrace() for a timeline
// Profiles are opt-in: nothing is printed unless asked.

import {
  flattenProfiles,
  formatProfileTable,
  formatTotals,
  productTotals,
  toChromeTrace,
  type ChromeTrace,
  type OpProfile,
  type ProductTotals,
} from "./sim/index.js";

export class Profile {
  /** Ops in execution order (TransData conversions nested in the op they serve). */
  readonly ops: OpProfile[] = [];

  /** One row per layer in execution order, TransData rows in place. */
  rows(): OpProfile[] {
    return flattenProfiles(this.ops);
  }

  /** Modelled time of everything recorded, launch overheads included. */
  get microseconds(): number {
    return this.rows().reduce((t, p) => t + p.microseconds, 0);
  }

  /** Per product: total time, time and share per unit (Cube, Vector, MTE), achieved TOPS. */
  totals(): ProductTotals[] {
    return productTotals(this.ops);
  }

  /** A profiler-like table, with the [doc]/[est]/[assume] tags of the constants used. */
  table(): string {
    return formatProfileTable(this.ops);
  }

  toString(): string {
    return this.table();
  }

  /** One line per product: rows, modelled time, time per unit. */
  summary(): string {
    const convs = this.ops.filter((p) => p.op === "QuantConv2d");
    const parts = convs.map(
      (p) =>
        `QuantConv2d ${p.microseconds.toFixed(2)} us, ${p.boundBy}-bound, ${p.achievedTops.toFixed(3)}/${p.peakTops.toFixed(0)} TOPS`,
    );
    const totals = this.totals().map(formatTotals).join("; ");
    return `npu profile (modelled): ${totals || "no ops"}${parts.length ? `; ${parts.join("; ")}` : ""}`;
  }

  toJSON(): { rows: OpProfile[]; totals: ProductTotals[]; microseconds: number } {
    return { rows: this.rows(), totals: this.totals(), microseconds: this.microseconds };
  }

  /** The timeline as Chrome trace-event JSON: one track per simulated core (chrome://tracing, Perfetto). */
  toChromeTrace(): ChromeTrace {
    return toChromeTrace(this.ops);
  }
}

const active: Profile[] = [];

/** Called by kernels: adds an op's profile to every profile being collected. */
export function recordProfile(p: OpProfile): void {
  for (const profile of active) profile.ops.push(p);
}

/** Whether a profile is being collected (kernels may skip building records otherwise). */
export function profiling(): boolean {
  return active.length > 0;
}

/** Runs `fn` and returns its result with the profile of every npu op it ran. */
export function profile<T>(fn: () => T): { result: T; profile: Profile } {
  const prof = new Profile();
  active.push(prof);
  try {
    return { result: fn(), profile: prof };
  } finally {
    active.splice(active.indexOf(prof), 1);
  }
}
