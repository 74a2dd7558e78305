// Collecting the simulator's profiles around a block of code, like torch_npu's profiler:
//   const { result, profile } = npu.profile(() => model(x));
//   console.log(profile.table());      // or JSON.stringify(profile)
// Profiles are opt-in: nothing is printed unless asked.

import { flattenProfiles, formatProfileTable, type OpProfile } from "./sim/index.js";

export class Profile {
  /** Ops in execution order (TransData conversions nested in the op they serve). */
  readonly ops: OpProfile[] = [];

  /** Modelled time of everything recorded, launch overheads included. */
  get microseconds(): number {
    return flattenProfiles(this.ops).reduce((t, p) => t + p.microseconds, 0);
  }

  /** A profiler-like table, with the [doc]/[est]/[assume] tags of the constants used. */
  table(): string {
    return formatProfileTable(this.ops);
  }

  /** One line: ops, modelled time, and the QuantConv2d bound and TOPS. */
  summary(): string {
    const convs = this.ops.filter((p) => p.op === "QuantConv2d");
    const parts = convs.map(
      (p) =>
        `QuantConv2d ${p.microseconds.toFixed(2)} us, ${p.boundBy}-bound, ${p.achievedTops.toFixed(3)}/${p.peakTops.toFixed(0)} TOPS`,
    );
    const soc = this.ops[0]?.soc ?? "npu";
    return `npu profile (${soc}, modelled): ${flattenProfiles(this.ops).length} op(s), ${this.microseconds.toFixed(2)} us${parts.length ? `; ${parts.join("; ")}` : ""}`;
  }

  toJSON(): { ops: OpProfile[]; microseconds: number } {
    return { ops: this.ops, microseconds: this.microseconds };
  }
}

const active: Profile[] = [];

/** Called by kernels: adds an op's profile to every profile being collected. */
export function recordProfile(p: OpProfile): void {
  for (const profile of active) profile.ops.push(p);
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
