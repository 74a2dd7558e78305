// The quantization report: per conv layer, int8 or kept float16 (and why), s_x, z_x, the range
// of the weight scales and, on a held-out batch, how close the int8 layer's float16 output is to
// the float layer's (docs/semantics/int8-networks.md section 4).

export interface LayerReport {
  readonly name: string;
  readonly status: "int8" | "float16";
  /** Why the layer stays float16 (status "float16"). */
  readonly reason?: string;
  /** s_x and z_x of the quantize step in front of it. */
  readonly inputScale?: number;
  readonly inputZeroPoint?: number;
  /** The layer whose quantize step it shares (convs reading the same tensor). */
  readonly sharesQuantizeWith?: string;
  /** The exact float rewrite applied before quantizing, if any (tagged [assume]). */
  readonly rewrite?: string;
  /** min and max of the per-channel weight scales s_w. */
  readonly weightScaleMin?: number;
  readonly weightScaleMax?: number;
  /** On the held-out batch: cosine similarity and max abs error of int8 vs float outputs. */
  readonly cosine?: number;
  readonly maxAbsError?: number;
}

export interface ReportJSON {
  readonly activation: string;
  readonly symmetric: boolean;
  readonly batches: number;
  readonly weights?: string;
  readonly quantized: number;
  readonly keptFloat16: number;
  readonly note: string | null;
  readonly layers: readonly LayerReport[];
  readonly worst: readonly string[];
}

const fmt = (v: number | undefined, digits = 6) =>
  v === undefined ? "" : Number.isInteger(v) ? String(v) : v.toPrecision(digits);

export class QuantizationReport {
  constructor(
    readonly layers: readonly LayerReport[],
    readonly settings: {
      readonly activation: string;
      readonly symmetric: boolean;
      readonly batches: number;
      /** How the weight scales were chosen ("minmax" when absent). */
      readonly weights?: string;
    },
  ) {}

  get quantized(): LayerReport[] {
    return this.layers.filter((l) => l.status === "int8");
  }

  /** Set when nothing could be quantized: the model runs entirely in float16. */
  get note(): string | null {
    if (this.quantized.length > 0) return null;
    return this.layers.length === 0
      ? "the model has no convolution: nothing was quantized, it runs in float16"
      : "no convolution is eligible for QuantConv2d (see each layer's reason): the model runs in float16";
  }

  /** The `n` int8 layers with the lowest held-out cosine similarity, worst first. */
  worst(n = 3): LayerReport[] {
    return this.quantized
      .filter((l) => l.cosine !== undefined)
      .sort((a, b) => a.cosine! - b.cosine!)
      .slice(0, n);
  }

  toJSON(): ReportJSON {
    return {
      ...this.settings,
      quantized: this.quantized.length,
      keptFloat16: this.layers.length - this.quantized.length,
      note: this.note,
      layers: this.layers,
      worst: this.worst().map((l) => l.name),
    };
  }

  toString(): string {
    const header = [
      "layer",
      "dtype",
      "s_x",
      "z_x",
      "s_w min",
      "s_w max",
      "cosine",
      "max abs err",
      "note",
    ];
    const rows = this.layers.map((l) => [
      l.name,
      l.status,
      fmt(l.inputScale),
      fmt(l.inputZeroPoint),
      fmt(l.weightScaleMin),
      fmt(l.weightScaleMax),
      fmt(l.cosine, 7),
      fmt(l.maxAbsError, 4),
      l.reason ??
        [
          l.sharesQuantizeWith ? `shares quantize step with ${l.sharesQuantizeWith}` : "",
          l.rewrite ?? "",
        ]
          .filter(Boolean)
          .join("; "),
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (r: string[]) =>
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join("  ")
        .trimEnd();
    const { activation, symmetric, batches, weights = "minmax" } = this.settings;
    const out = [
      `int8: ${this.quantized.length} of ${this.layers.length} conv layers (activation ${activation}, ${symmetric ? "symmetric" : "asymmetric"}, weights ${weights}, ${batches} calibration batches)`,
      line(header),
      ...rows.map(line),
    ];
    const worst = this.worst();
    if (worst.length)
      out.push(`worst: ${worst.map((l) => `${l.name} (cosine ${fmt(l.cosine, 7)})`).join(", ")}`);
    if (this.note) out.push(`note: ${this.note}`);
    return out.join("\n");
  }
}

/** Cosine similarity and max abs difference of two equally long vectors, in float64. */
export function compareOutputs(
  reference: Float32Array,
  actual: Float32Array,
): { cosine: number; maxAbsError: number } {
  let dot = 0;
  let na = 0;
  let nb = 0;
  let maxAbsError = 0;
  for (let i = 0; i < reference.length; i++) {
    const a = reference[i]!;
    const b = actual[i]!;
    dot += a * b;
    na += a * a;
    nb += b * b;
    maxAbsError = Math.max(maxAbsError, Math.abs(a - b));
  }
  const cosine = na === 0 && nb === 0 ? 1 : dot / Math.sqrt(na * nb);
  return { cosine, maxAbsError };
}
