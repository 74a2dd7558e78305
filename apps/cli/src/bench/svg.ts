// The bench's chart as a plain SVG string: per shape, one bar per backend, throughput in
// GMAC/s (higher is better), so shapes of very different sizes share one axis.

export interface Series {
  readonly name: string;
  /** One value per group; null when the backend did not run it. */
  readonly values: readonly (number | null)[];
}

const COLOURS = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948"];
const escapeXml = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export function barChartSvg(
  title: string,
  unit: string,
  groups: readonly string[],
  series: readonly Series[],
): string {
  const barW = 18;
  // Text widths estimated at the font's average advance (~0.6 em), so no label is cut or
  // overlaps its neighbour: a group is as wide as its bars or its label, the chart as its title.
  const textW = (text: string, size: number) => Math.ceil(text.length * size * 0.62);
  const groupW = Math.max(series.length * barW + 24, ...groups.map((g) => textW(g, 11) + 16));
  const [left, top, plotH] = [60, 40, 220];
  const width = Math.max(left + groups.length * groupW + 20, left + textW(title, 13) + 20);
  const height = top + plotH + 50 + series.length * 16;
  const max = Math.max(
    1e-9,
    ...series.flatMap((s) => s.values.filter((v): v is number => v !== null)),
  );
  const y = (v: number) => top + plotH - (v / max) * plotH;
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<title>${escapeXml(title)}</title>`,
    `<text x="${left}" y="20" font-size="13" font-weight="bold">${escapeXml(title)}</text>`,
    `<line x1="${left}" y1="${top}" x2="${left}" y2="${top + plotH}" stroke="#333"/>`,
    `<line x1="${left}" y1="${top + plotH}" x2="${width - 10}" y2="${top + plotH}" stroke="#333"/>`,
  ];
  for (const f of [0, 0.5, 1]) {
    const v = max * f;
    out.push(
      `<text x="${left - 6}" y="${y(v) + 4}" text-anchor="end">${v.toPrecision(3)}</text>`,
      `<line x1="${left}" y1="${y(v)}" x2="${width - 10}" y2="${y(v)}" stroke="#ddd"/>`,
    );
  }
  out.push(
    `<text x="14" y="${top + plotH / 2}" transform="rotate(-90 14 ${top + plotH / 2})" text-anchor="middle">${escapeXml(unit)}</text>`,
  );
  groups.forEach((g, gi) => {
    const x0 = left + gi * groupW + (groupW - series.length * barW) / 2;
    series.forEach((s, si) => {
      const v = s.values[gi];
      if (v === null || v === undefined) return;
      out.push(
        `<rect class="bar" x="${x0 + si * barW}" y="${y(v)}" width="${barW - 2}" height="${top + plotH - y(v)}" fill="${COLOURS[si % COLOURS.length]}"><title>${escapeXml(`${g} ${s.name}: ${v.toPrecision(3)} ${unit}`)}</title></rect>`,
      );
    });
    out.push(
      `<text x="${x0 + (series.length * barW) / 2}" y="${top + plotH + 16}" text-anchor="middle">${escapeXml(g)}</text>`,
    );
  });
  series.forEach((s, si) => {
    const ly = top + plotH + 36 + si * 16;
    out.push(
      `<rect x="${left}" y="${ly - 9}" width="10" height="10" fill="${COLOURS[si % COLOURS.length]}"/>`,
      `<text x="${left + 16}" y="${ly}">${escapeXml(s.name)}</text>`,
    );
  });
  out.push("</svg>");
  return `${out.join("\n")}\n`;
}
