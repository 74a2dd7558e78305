// What `tsnpu run` prints for the outputs: faces for BlazeFace, top-k for a classifier head,
// else each output's shape and a summary of its values.
import { detectFaces, softmax } from "@tsnpu/models";
import type { Style } from "../cli/style.js";
import { formatTable } from "../table.js";
import type { Fed } from "./feed.js";

export interface Output {
  readonly name: string;
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

const fixed = (v: number, digits = 1) => v.toFixed(digits);

export function facesReport(outputs: readonly Output[], face: NonNullable<Fed["blazeFace"]>) {
  return detectFaces(
    outputs.map((o) => o.values),
    face.config,
    { letterbox: face.letterbox },
  );
}

export function formatFaces(faces: ReturnType<typeof facesReport>, model: string): string {
  const rows = faces.map((f, i) => [
    String(i + 1),
    fixed(f.score, 3),
    fixed(f.xMin),
    fixed(f.yMin),
    fixed(f.width),
    fixed(f.height),
    f.keypoints.map((p) => `${Math.round(p.x)},${Math.round(p.y)}`).join(" "),
  ]);
  return [
    `BlazeFace (${model}): ${faces.length} face(s), boxes in image pixels`,
    formatTable(["face", "score", "x", "y", "width", "height", "keypoints (x,y)"], rows),
  ].join("\n");
}

/** A classifier head: one output of shape [1, K] or [K], 2 <= K <= 10000. */
export function isClassifier(outputs: readonly Output[]): boolean {
  if (outputs.length !== 1) return false;
  const k = outputs[0]!.values.length;
  const shape = outputs[0]!.shape.filter((d) => d !== 1);
  return shape.length === 1 && k >= 2 && k <= 10_000;
}

export function topK(
  output: Output,
  k: number,
): { index: number; score: number; probability: number }[] {
  const v = output.values;
  const sum = v.reduce((a, b) => a + b, 0);
  const isProbability = v.every((x) => x >= 0 && x <= 1) && Math.abs(sum - 1) < 1e-3;
  const p = isProbability ? v : softmax(v);
  return [...v.keys()]
    .sort((a, b) => v[b]! - v[a]!)
    .slice(0, k)
    .map((index) => ({ index, score: v[index]!, probability: p[index]! }));
}

export function formatTopK(output: Output, k: number, style: Style): string {
  const rows = topK(output, k).map((t, i) => [
    String(i + 1),
    i === 0 ? style.bold(String(t.index)) : String(t.index),
    t.score.toFixed(4),
    `${(t.probability * 100).toFixed(2)}%`,
  ]);
  return [
    `top-${rows.length} of ${output.values.length} classes (${output.name})`,
    formatTable(["rank", "class", "score", "probability"], rows),
  ].join("\n");
}

export function summarize(output: Output): Record<string, unknown> {
  const v = output.values;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let sum = 0;
  for (const x of v) {
    min = Math.min(min, x);
    max = Math.max(max, x);
    sum += x;
  }
  return {
    name: output.name,
    shape: output.shape,
    min,
    max,
    mean: sum / v.length,
    first: [...v.slice(0, 8)],
  };
}

export function formatSummary(outputs: readonly Output[]): string {
  return outputs
    .map((o) => {
      const s = summarize(o) as { min: number; max: number; mean: number; first: number[] };
      return `${o.name} [${o.shape.join(", ")}]: min ${s.min.toPrecision(4)}, max ${s.max.toPrecision(4)}, mean ${s.mean.toPrecision(4)}; first ${s.first.map((x) => x.toPrecision(4)).join(", ")}`;
    })
    .join("\n");
}
