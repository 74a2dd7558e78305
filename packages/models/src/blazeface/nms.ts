// MediaPipe's NonMaxSuppressionCalculator with algorithm WEIGHTED and overlap_type
// INTERSECTION_OVER_UNION (mediapipe/calculators/util/non_max_suppression_calculator.cc), as its
// face detection graphs use it (min_suppression_threshold 0.3): take the best remaining
// detection, gather every remaining one overlapping it by more than the threshold (itself
// included), and output their score-weighted mean box and keypoints with the best one's score.
import type { Detection, Point } from "./decode.js";

/** Intersection over union of two boxes (0 when they do not overlap or one is empty). */
export function iou(a: Detection, b: Detection): number {
  const w = Math.min(a.xMin + a.width, b.xMin + b.width) - Math.max(a.xMin, b.xMin);
  const h = Math.min(a.yMin + a.height, b.yMin + b.height) - Math.max(a.yMin, b.yMin);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  const union = a.width * a.height + b.width * b.height - inter;
  return union > 0 ? inter / union : 0;
}

function weightedMean(cluster: readonly Detection[], best: Detection): Detection {
  let total = 0;
  let xMin = 0;
  let yMin = 0;
  let xMax = 0;
  let yMax = 0;
  const keypoints = best.keypoints.map(() => ({ x: 0, y: 0 }));
  for (const d of cluster) {
    total += d.score;
    xMin += d.xMin * d.score;
    yMin += d.yMin * d.score;
    xMax += (d.xMin + d.width) * d.score;
    yMax += (d.yMin + d.height) * d.score;
    d.keypoints.forEach((p, k) => {
      keypoints[k]!.x += p.x * d.score;
      keypoints[k]!.y += p.y * d.score;
    });
  }
  return {
    xMin: xMin / total,
    yMin: yMin / total,
    width: (xMax - xMin) / total,
    height: (yMax - yMin) / total,
    keypoints: keypoints.map((p): Point => ({ x: p.x / total, y: p.y / total })),
    score: best.score,
  };
}

/**
 * Weighted non-maximum suppression: one detection per cluster of boxes overlapping by more than
 * `threshold` IoU, best score first; at most `maxDetections` (default: all).
 */
export function weightedNms(
  detections: readonly Detection[],
  threshold = 0.3,
  maxDetections = Number.POSITIVE_INFINITY,
): Detection[] {
  // Stable sort: equal scores keep their anchor order, as std::stable_sort does upstream.
  let remaining = [...detections].sort((a, b) => b.score - a.score);
  const out: Detection[] = [];
  while (remaining.length > 0 && out.length < maxDetections) {
    const best = remaining[0]!;
    const cluster: Detection[] = [];
    const rest: Detection[] = [];
    for (const d of remaining) (d === best || iou(best, d) > threshold ? cluster : rest).push(d);
    // A lone box is its own mean: kept as it is, without rounding.
    out.push(cluster.length === 1 ? best : weightedMean(cluster, best));
    remaining = rest;
  }
  return out;
}
