// Number formats of the evaluation's tables.
import type { Detection } from "@tsnpu/models";

export const pct = (v: number): string => `${(100 * v).toFixed(2)} %`;

export const formatFace = (f: Detection): string =>
  `box x ${f.xMin.toFixed(1)} y ${f.yMin.toFixed(1)} w ${f.width.toFixed(1)} h ${f.height.toFixed(1)} px, score ${f.score.toFixed(4)}`;

/** Rows of cells as a table with aligned columns (the first row is the header). */
export function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const line = (r: readonly string[]) =>
    r
      .map((cell, c) => cell.padEnd(widths[c]!))
      .join(" | ")
      .trimEnd();
  return [
    line(rows[0]!),
    widths.map((w) => "-".repeat(w)).join("-|-"),
    ...rows.slice(1).map(line),
  ].join("\n");
}
