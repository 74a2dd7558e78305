// The simulator's profiles as a Chrome trace (the JSON chrome://tracing and ui.perfetto.dev
// open): one process per product, ops laid end to end on its timeline in modelled microseconds.
import { sim } from "@tsnpu/backend-npu-sim";

type OpProfile = sim.OpProfile;

interface TraceEvent {
  readonly name: string;
  readonly ph: "X" | "M";
  readonly pid: number;
  readonly tid: number;
  readonly ts?: number;
  readonly dur?: number;
  readonly args: Record<string, unknown>;
}

export function chromeTrace(runs: readonly { soc: string; ops: readonly OpProfile[] }[]): {
  traceEvents: TraceEvent[];
  displayTimeUnit: "ns";
} {
  const traceEvents: TraceEvent[] = [];
  runs.forEach(({ soc, ops }, pid) => {
    traceEvents.push({ name: "process_name", ph: "M", pid, tid: 0, args: { name: soc } });
    let ts = 0;
    for (const op of sim.flattenProfiles(ops)) {
      traceEvents.push({
        name: op.name,
        ph: "X",
        pid,
        tid: 0,
        ts,
        dur: op.microseconds,
        args: { cycles: op.cycles, boundBy: op.boundBy, macs: op.macs, tops: op.achievedTops },
      });
      ts += op.microseconds;
    }
  });
  return { traceEvents, displayTimeUnit: "ns" };
}
