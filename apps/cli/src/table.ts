// Plain text tables: a header, a rule, left-aligned first column, right-aligned numbers.
// Cells may carry colour codes; widths count only the visible characters.

// biome-ignore lint/suspicious/noControlCharactersInRegex: matches the colour codes themselves
const visible = (s: string) => s.replace(/\x1b\[\d+m/g, "").length;

export function formatTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const widths = header.map((h, i) =>
    Math.max(visible(h), ...rows.map((r) => visible(r[i] ?? ""))),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => {
        const pad = " ".repeat(widths[i]! - visible(c));
        return i === 0 ? c + pad : pad + c;
      })
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}
