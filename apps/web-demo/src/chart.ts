// The simulated NPU's per-layer profile as a plain SVG bar chart: one row per profiled layer,
// one bar per product that ran it, and the products that refused the network listed in words.
import type * as torch from "tsnpu";

type OpProfile = ReturnType<typeof torch.npu.profile>["profile"]["ops"][number];

export interface ProductProfile {
  readonly soc: string;
  /** The layers the npu ran, in execution order; null when the product refused the network. */
  readonly rows: readonly OpProfile[] | null;
  readonly refusal?: string;
}

const COLOURS = ["#1a5fb4", "#c64600", "#26a269"];
const ROW = 22;
const LABEL = 150;
const WIDTH = 560;
/** Room for the per-product values at the end of a row. */
const VALUES = 110;

/** A row's layer name: the module path when the profiler knows it, else the op. */
function layerName(row: OpProfile, index: number): string {
  const layer = (row as { layer?: string }).layer;
  return `${index + 1}. ${layer ?? row.name}`;
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);

export function renderProfileChart(
  container: HTMLElement,
  products: readonly ProductProfile[],
): void {
  const ran = products.filter((p) => p.rows !== null);
  const layers = ran[0]?.rows ?? [];
  const max = Math.max(1e-9, ...ran.flatMap((p) => p.rows!.map((r) => r.microseconds)));
  const barH = (ROW - 6) / Math.max(1, ran.length);
  const scale = (WIDTH - LABEL - VALUES) / max;
  const rows = layers.map((row, i) => {
    const bars = ran.map((p, k) => {
      const us = p.rows![i]?.microseconds ?? 0;
      return `<rect x="${LABEL}" y="${i * ROW + 3 + k * barH}" width="${Math.max(1, us * scale).toFixed(1)}" height="${barH.toFixed(1)}" fill="${COLOURS[k % COLOURS.length]}"><title>${escapeHtml(`${p.soc}: ${layerName(row, i)} ${us.toFixed(2)} µs`)}</title></rect>`;
    });
    const us = `${ran.map((p) => p.rows![i]?.microseconds.toFixed(1) ?? "?").join(" / ")} µs`;
    return `<g class="layer" data-layer="${escapeHtml(layerName(row, i))}"><text x="0" y="${i * ROW + 15}">${escapeHtml(layerName(row, i).slice(0, 24))}</text>${bars.join("")}<text x="${WIDTH - VALUES + 6}" y="${i * ROW + 15}">${us}</text></g>`;
  });
  const legend = ran
    .map(
      (p, k) =>
        `<span class="legend-item"><span class="swatch" style="background:${COLOURS[k % COLOURS.length]}"></span> ${escapeHtml(p.soc)}: ${p.rows!.reduce((t, r) => t + r.microseconds, 0).toFixed(1)} µs in ${p.rows!.length} layers</span>`,
    )
    .join(" ");
  const refusals = products
    .filter((p) => p.rows === null)
    .map(
      (p) =>
        `<li class="refused"><strong>${escapeHtml(p.soc)} refused the network:</strong> ${escapeHtml(p.refusal ?? "")}</li>`,
    )
    .join("");
  container.innerHTML = `<p class="legend">${legend} (modelled time per layer [est], bars in the order of the legend)</p>
<svg role="img" aria-label="Modelled time per layer on each product" viewBox="0 0 ${WIDTH} ${layers.length * ROW}" data-layers="${layers.length}">${rows.join("")}</svg>
${refusals ? `<ul>${refusals}</ul>` : ""}`;
  container.dataset.layers = String(layers.length);
  container.dataset.refused = products
    .filter((p) => p.rows === null)
    .map((p) => p.soc)
    .join(",");
}
