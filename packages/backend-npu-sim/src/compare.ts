// Comparing products side by side in one call: the same model compiled (planned) for each
// product, run once on the given inputs, profiled.
//   const cmp = compareProducts(model, [x], ["Ascend910B", "Ascend910_93", "Ascend310P"]);
//   console.log(cmp.toString());   // one row per layer, one us column per product, totals

import { Graph, withModulePaths, type LayeredModule, type Tensor } from "@tsnpu/tensor";
import { npuBackendWith } from "./backend.js";
import { profile, type Profile } from "./profiler.js";
import type { SocName } from "./sim/index.js";

export interface CompareOptions {
  /** Model fusions (default true), as npu.backend({ fusion }). */
  readonly fusion?: boolean;
}

export interface ProductRun {
  readonly soc: SocName;
  readonly profile: Profile;
  /** The model's outputs on this product (310P: its overflow mode). */
  readonly outputs: Tensor[];
}

export class ProductComparison {
  constructor(readonly runs: readonly ProductRun[]) {}

  /** One row per layer: the layer, its op, and each product's modelled us; then the totals. */
  toString(): string {
    const socs = this.runs.map((r) => r.soc);
    const rows = this.runs[0]?.profile.rows() ?? [];
    const byProduct = this.runs.map((r) => r.profile.rows());
    const header = ["layer", "op", ...socs.map((s) => `${s} us`)];
    const body = rows.map((row, i) => [
      row.name,
      row.op,
      ...byProduct.map((rs) => (rs[i] ? rs[i].microseconds.toFixed(2) : "-")),
    ]);
    const totals = this.runs.map((r) => r.profile.microseconds.toFixed(2));
    body.push(["total", "", ...totals]);
    const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
    const line = (cells: string[]) =>
      cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
    const shares = this.runs.map((r) =>
      r.profile
        .totals()
        .map(
          (t) =>
            `${t.soc}: Cube ${(100 * t.unitShare.Cube).toFixed(1)}%, Vector ${(100 * t.unitShare.Vector).toFixed(1)}%, MTE ${(100 * t.unitShare.MTE).toFixed(1)}%`,
        )
        .join(""),
    );
    return [
      line(header),
      widths.map((w) => "-".repeat(w)).join("  "),
      ...body.map(line),
      ...shares,
    ].join("\n");
  }

  toJSON(): { soc: SocName; rows: ReturnType<Profile["rows"]>; microseconds: number }[] {
    return this.runs.map((r) => ({
      soc: r.soc,
      rows: r.profile.rows(),
      microseconds: r.profile.microseconds,
    }));
  }
}

/**
 * Compiles `model` for each product (as compile(model, { backend: npu.backend({ soc }) }) does,
 * layers named after module paths), runs it once on `inputs` (npu tensors) and profiles it.
 * Throws the first product's NetworkRefusedError when a product cannot run the network.
 */
export function compareProducts(
  model: LayeredModule & { forward(...inputs: Tensor[]): Tensor | readonly Tensor[] },
  inputs: Tensor | readonly Tensor[],
  socs: readonly SocName[],
  options: CompareOptions = {},
): ProductComparison {
  const xs = Array.isArray(inputs) ? (inputs as Tensor[]) : [inputs as Tensor];
  const runs = socs.map((soc): ProductRun => {
    const graph = Graph.trace(
      (...ins: Tensor[]) => withModulePaths(model, () => model.forward(...ins)),
      xs.map((t) => ({ shape: t.shape, dtype: t.dtype, device: t.device })),
      [
        npuBackendWith({
          soc,
          ...(options.fusion === undefined ? {} : { fusion: options.fusion }),
        }),
      ],
    );
    try {
      const { result, profile: p } = profile(() => graph.run(...xs));
      return { soc, profile: p, outputs: Array.isArray(result) ? result : [result as Tensor] };
    } finally {
      graph.dispose();
    }
  });
  return new ProductComparison(runs);
}
