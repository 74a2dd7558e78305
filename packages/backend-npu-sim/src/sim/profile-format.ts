// The profile as text (msprof style): one row per layer, then per product the total, the share
// of time per unit, and the [doc]/[est]/[assume] tags of the constants behind the numbers.

import { flattenProfiles, type ComputeUnit, type ConstantUsed, type OpProfile } from "./profile.js";

const fmtBytes = (b: number): string =>
  b >= 1 << 20
    ? `${(b / (1 << 20)).toFixed(2)}M`
    : b >= 1 << 10
      ? `${(b / (1 << 10)).toFixed(1)}K`
      : `${Math.round(b)}`;

/** One product's totals: modelled time, time per unit and its share, useful MACs. */
export interface ProductTotals {
  readonly soc: string;
  readonly layers: number;
  readonly microseconds: number;
  readonly cycles: number;
  readonly launchUs: number;
  /** Modelled time per unit (launch overheads counted with the op they launch). */
  readonly unitUs: Readonly<Record<ComputeUnit, number>>;
  /** unitUs / microseconds. */
  readonly unitShare: Readonly<Record<ComputeUnit, number>>;
  readonly macs: number;
  /** 2 * macs / time, in tera-ops per second. */
  readonly achievedTops: number;
}

/** Totals per product, in the order the products first appear. */
export function productTotals(profiles: readonly OpProfile[]): ProductTotals[] {
  const rows = flattenProfiles(profiles);
  const socs = [...new Set(rows.map((r) => r.soc))];
  return socs.map((soc) => {
    const mine = rows.filter((r) => r.soc === soc);
    const unitUs: Record<ComputeUnit, number> = { Cube: 0, Vector: 0, MTE: 0 };
    let microseconds = 0;
    let cycles = 0;
    let launchUs = 0;
    let macs = 0;
    for (const r of mine) {
      unitUs[r.unit] += r.microseconds;
      microseconds += r.microseconds;
      cycles += r.cycles;
      if (r.microseconds > 0) launchUs += r.launchOverheadUs;
      macs += r.macs;
    }
    const share = (u: ComputeUnit) => (microseconds > 0 ? unitUs[u] / microseconds : 0);
    return {
      soc,
      layers: mine.length,
      microseconds,
      cycles,
      launchUs,
      unitUs,
      unitShare: { Cube: share("Cube"), Vector: share("Vector"), MTE: share("MTE") },
      macs,
      achievedTops: microseconds > 0 ? (2 * macs) / (microseconds * 1e6) : 0,
    };
  });
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/** The totals line of one product. */
export function formatTotals(t: ProductTotals): string {
  const shares = (["Cube", "Vector", "MTE"] as const)
    .map((u) => `${u} ${t.unitUs[u].toFixed(2)} us (${pct(t.unitShare[u])})`)
    .join(", ");
  return `${t.soc} total: ${t.layers} row(s), ${t.microseconds.toFixed(2)} us (launch ${t.launchUs.toFixed(2)} us), ${t.achievedTops.toFixed(3)} TOPS achieved; ${shares}`;
}

function detail(p: OpProfile): string {
  const parts: string[] = [];
  if (p.split) parts.push(`split ${p.split.batch}x${p.split.cout}x${p.split.m}`);
  if (p.tiles) parts.push(`tile ${p.tiles.mL0}/${p.tiles.kL0}/${p.tiles.nL0}`);
  if (p.paddedMacs > 0) parts.push(`fractal use ${pct(p.macs / p.paddedMacs)}`);
  return parts.join(", ") || "-";
}

/** A profiler-like table, one row per layer; totals and the constants' tags below it. */
export function formatProfileTable(profiles: readonly OpProfile[]): string {
  const rows = flattenProfiles(profiles);
  const header = [
    "layer",
    "op",
    "unit",
    "soc",
    "us",
    "cycles",
    "bound",
    "cores",
    "bytes in",
    "bytes out",
    "TOPS",
    "detail",
    "fused with",
  ];
  const left = new Set([0, 1, 2, 3, 6, 11, 12]);
  const body = rows.map((p) => [
    p.name,
    p.op,
    p.unit,
    p.soc,
    p.microseconds.toFixed(2),
    Math.round(p.cycles).toString(),
    p.cycles > 0 ? p.boundBy : "-",
    p.cores.toString(),
    fmtBytes(p.bytesIn),
    fmtBytes(p.bytesOut),
    p.macs > 0 ? `${p.achievedTops.toFixed(2)}/${p.peakTops.toFixed(0)}` : "-",
    detail(p),
    p.fusedWith.join(", ") || "-",
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (left.has(i) ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join("  ")
      .trimEnd();
  const lines = [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...body.map(line)];
  for (const t of productTotals(profiles)) lines.push(formatTotals(t));
  // The constants behind the numbers, with their provenance, once per product.
  for (const soc of new Set(rows.map((r) => r.soc))) {
    const consts = new Map<string, ConstantUsed>();
    for (const q of rows) if (q.soc === soc) for (const c of q.constants) consts.set(c.name, c);
    const text = [...consts.values()]
      .map((c) => `${c.name}=${JSON.stringify(c.value)} [${c.tag}]`)
      .join(", ");
    lines.push(`${soc} constants: ${text}`);
  }
  lines.push(
    "tags: [doc] public Ascend docs/code, [est] third-party or derived, [assume] modelling choice",
  );
  return lines.join("\n");
}
