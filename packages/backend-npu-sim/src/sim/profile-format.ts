// The profile as a profiler-like text table (msprof style).

import { flattenProfiles, type ConstantUsed, type OpProfile } from "./profile.js";

const fmtBytes = (b: number): string =>
  b >= 1 << 20
    ? `${(b / (1 << 20)).toFixed(2)}M`
    : b >= 1 << 10
      ? `${(b / (1 << 10)).toFixed(1)}K`
      : `${Math.round(b)}`;

/** A profiler-like text table (msprof style); the tags of the constants are listed below it. */
export function formatProfileTable(profiles: readonly OpProfile[]): string {
  const rows = flattenProfiles(profiles);
  const header = [
    "op",
    "soc",
    "us",
    "cycles",
    "bound",
    "cube",
    "mte1",
    "mte2",
    "fixpipe",
    "TOPS",
    "peak",
    "split b/co/m",
    "tiles m/k/n",
    "GM->L1",
    "L1->L0A",
    "L1->L0B",
    "L0C->GM",
  ];
  const body = rows.map((p) => [
    p.name,
    p.soc,
    p.microseconds.toFixed(2),
    Math.round(p.cycles).toString(),
    p.boundBy,
    Math.round(p.units.cube).toString(),
    Math.round(p.units.mte1).toString(),
    Math.round(p.units.mte2).toString(),
    Math.round(p.units.fixpipe).toString(),
    p.op === "QuantConv2d" ? p.achievedTops.toFixed(2) : "-",
    p.peakTops.toFixed(1),
    p.split ? `${p.split.batch}x${p.split.cout}x${p.split.m}=${p.split.parts}` : "-",
    p.tiles ? `${p.tiles.mL0}/${p.tiles.kL0}/${p.tiles.nL0}` : "-",
    fmtBytes(p.bytes.gmToL1),
    fmtBytes(p.bytes.l1ToL0a),
    fmtBytes(p.bytes.l1ToL0b),
    fmtBytes(p.bytes.l0cToGm),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  const lines = [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...body.map(line)];
  // The constants behind the numbers, with their provenance, once per product.
  const seen = new Set<string>();
  for (const p of rows) {
    if (seen.has(p.soc)) continue;
    seen.add(p.soc);
    const consts = new Map<string, ConstantUsed>();
    for (const q of rows) if (q.soc === p.soc) for (const c of q.constants) consts.set(c.name, c);
    const text = [...consts.values()]
      .map((c) => `${c.name}=${JSON.stringify(c.value)} [${c.tag}]`)
      .join(", ");
    lines.push(`${p.soc} constants: ${text}`);
  }
  lines.push(
    "tags: [doc] public Ascend docs/code, [est] third-party or derived, [assume] modelling choice",
  );
  return lines.join("\n");
}
