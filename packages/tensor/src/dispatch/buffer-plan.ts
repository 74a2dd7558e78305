// The buffer planner of compiled graphs: every intermediate a replay makes gets an offset in
// one arena per device, planned once when the graph is prepared, so that two intermediates
// alive at the same step never overlap and memory is reused as soon as a tensor is dead.
// Offsets come from the "greedy by size" heuristic of TFLite's arena planner (largest buffer
// first, each at the lowest offset free during its whole lifetime), which lands within a few
// percent of the peak live bytes on convolutional networks.

import { ARENA_ALIGN } from "./backend.js";

/** One buffer to place: its bytes, and the first and last step (inclusive) that use it. */
export interface BufferRequest {
  readonly bytes: number;
  readonly first: number;
  readonly last: number;
}

export interface OffsetPlan {
  /** Byte offset of each request (a multiple of ARENA_ALIGN), in request order. */
  readonly offsets: readonly number[];
  /** The arena's size: the end of the highest placed buffer. */
  readonly bytes: number;
}

const aligned = (bytes: number) => Math.ceil(Math.max(bytes, 1) / ARENA_ALIGN) * ARENA_ALIGN;

/** Offsets such that requests whose step ranges intersect occupy disjoint bytes. */
export function planOffsets(requests: readonly BufferRequest[]): OffsetPlan {
  const order = requests
    .map((_, i) => i)
    .sort(
      (a, b) => requests[b]!.bytes - requests[a]!.bytes || requests[a]!.first - requests[b]!.first,
    );
  const placed: { start: number; end: number; first: number; last: number }[] = [];
  const offsets: number[] = new Array<number>(requests.length).fill(0);
  let total = 0;
  for (const i of order) {
    const r = requests[i]!;
    const size = aligned(r.bytes);
    const overlapping = placed
      .filter((p) => p.first <= r.last && r.first <= p.last)
      .sort((a, b) => a.start - b.start);
    let start = 0;
    for (const p of overlapping) {
      if (start + size <= p.start) break;
      start = Math.max(start, p.end);
    }
    placed.push({ start, end: start + size, first: r.first, last: r.last });
    offsets[i] = start;
    total = Math.max(total, start + size);
  }
  return { offsets, bytes: total };
}
