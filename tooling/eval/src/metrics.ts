// The figures the evaluation prints: top-1 and float-vs-int8 box matching (per-layer cosine
// similarity comes from @tsnpu/quantization's report).
import { type Detection, iou } from "@tsnpu/models";

/** Index of the largest of each row of `logits` (rows of `classes` values). */
export function argmaxRows(logits: ArrayLike<number>, classes: number): Int32Array {
  const rows = logits.length / classes;
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let c = 1; c < classes; c++)
      if (logits[r * classes + c]! > logits[r * classes + best]!) best = c;
    out[r] = best;
  }
  return out;
}

/** Fraction of predictions equal to the labels. */
export function top1(predictions: ArrayLike<number>, labels: ArrayLike<number>): number {
  let hits = 0;
  for (let i = 0; i < labels.length; i++) if (predictions[i] === labels[i]) hits++;
  return hits / labels.length;
}

export interface BoxMatch {
  readonly reference: Detection;
  /** The candidate detection overlapping it most (null when none overlaps). */
  readonly match: Detection | null;
  readonly iou: number;
  /** match score - reference score (NaN without a match). */
  readonly scoreDiff: number;
}

/** For each reference detection scoring above `minScore`, the candidate that overlaps it most. */
export function matchBoxes(
  reference: readonly Detection[],
  candidates: readonly Detection[],
  minScore = 0.5,
): BoxMatch[] {
  return reference
    .filter((r) => r.score > minScore)
    .map((r) => {
      let best: Detection | null = null;
      let bestIou = 0;
      for (const c of candidates) {
        const v = iou(r, c);
        if (v > bestIou) {
          bestIou = v;
          best = c;
        }
      }
      return {
        reference: r,
        match: best,
        iou: bestIou,
        scoreDiff: best ? best.score - r.score : Number.NaN,
      };
    });
}

/** Candidates scoring above `minScore` that overlap no reference above `minScore` by IoU >= `minIou`: spurious boxes. */
export function unmatchedBoxes(
  reference: readonly Detection[],
  candidates: readonly Detection[],
  minScore = 0.5,
  minIou = 0.5,
): Detection[] {
  const kept = reference.filter((r) => r.score > minScore);
  return candidates.filter((c) => c.score > minScore && kept.every((r) => iou(r, c) < minIou));
}
