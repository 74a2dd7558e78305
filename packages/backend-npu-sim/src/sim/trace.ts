// The profile as a timeline in the Chrome trace-event format (the JSON that chrome://tracing and
// Perfetto open): one process per product, one thread (track) per simulated core, each op an
// "X" (complete) event with ts/dur in microseconds on every core it was split over. Ops run one
// after another, each after its launch overhead, which gets its own "launch" track.

import { flattenProfiles, cyclesToUs, type OpProfile } from "./profile.js";
import { getSoc, type SocSpec } from "./soc.js";

/** One event of the trace-event format (the fields we emit). */
export interface TraceEvent {
  readonly name: string;
  readonly ph: "X" | "M";
  readonly pid: number;
  readonly tid: number;
  readonly ts?: number;
  readonly dur?: number;
  readonly cat?: string;
  readonly args?: Readonly<Record<string, unknown>>;
}

export interface ChromeTrace {
  readonly traceEvents: readonly TraceEvent[];
  readonly displayTimeUnit: "ms" | "ns";
  readonly otherData: Readonly<Record<string, string>>;
}

/** Track ids: the launch track, then Cube cores (AIC), then Vector cores (AIV). */
const LAUNCH_TID = 0;
const AIC_TID = 1;
const AIV_TID = 1001;

function trackNames(soc: SocSpec): [number, string][] {
  const coupled = soc.coreLayout.value === "coupled";
  const tracks: [number, string][] = [[LAUNCH_TID, "launch (host -> device)"]];
  for (let i = 0; i < soc.cubeCores.value; i++)
    tracks.push([AIC_TID + i, coupled ? `AI Core ${i} (Cube)` : `AIC ${i} (Cube)`]);
  for (let i = 0; i < soc.vectorCores.value; i++)
    tracks.push([AIV_TID + i, coupled ? `AI Core ${i} (Vector)` : `AIV ${i} (Vector)`]);
  return tracks;
}

/** Chrome trace-event JSON of the profiled ops (one process per product, in order). */
export function toChromeTrace(profiles: readonly OpProfile[]): ChromeTrace {
  const rows = flattenProfiles(profiles);
  const events: TraceEvent[] = [];
  const socs = [...new Set(rows.map((r) => r.soc))];
  socs.forEach((name, pid) => {
    const soc = getSoc(name);
    events.push({
      name: "process_name",
      ph: "M",
      pid,
      tid: 0,
      args: { name: `${name} (simulated)` },
    });
    events.push({ name: "process_sort_index", ph: "M", pid, tid: 0, args: { sort_index: pid } });
    for (const [tid, label] of trackNames(soc)) {
      events.push({ name: "thread_name", ph: "M", pid, tid, args: { name: label } });
      events.push({ name: "thread_sort_index", ph: "M", pid, tid, args: { sort_index: tid } });
    }
    let t = 0;
    for (const r of rows) {
      if (r.soc !== name || r.microseconds <= 0) continue;
      if (r.launchOverheadUs > 0) {
        events.push({
          name: `launch ${r.name}`,
          cat: "launch",
          ph: "X",
          pid,
          tid: LAUNCH_TID,
          ts: t,
          dur: r.launchOverheadUs,
        });
      }
      const start = t + r.launchOverheadUs;
      const dur = cyclesToUs(soc, r.cycles);
      const base = r.unit === "Vector" ? AIV_TID : AIC_TID;
      const limit = r.unit === "Vector" ? soc.vectorCores.value : soc.cubeCores.value;
      const args = {
        op: r.op,
        unit: r.unit,
        cycles: Math.round(r.cycles),
        bound: r.boundBy,
        bytesIn: r.bytesIn,
        bytesOut: r.bytesOut,
        fusedWith: r.fusedWith.join(", "),
      };
      for (let c = 0; c < Math.min(r.cores, limit); c++)
        events.push({
          name: r.name,
          cat: r.unit,
          ph: "X",
          pid,
          tid: base + c,
          ts: start,
          dur,
          args,
        });
      t = start + dur;
    }
  });
  return {
    traceEvents: events,
    displayTimeUnit: "ns",
    otherData: { source: "tsnpu npu-sim (modelled time, not measured)" },
  };
}
