// The buffer planner's offsets (dispatch/buffer-plan.ts): buffers alive at the same step never
// share a byte, dead ones are reused, every offset is aligned.
import { describe, expect, it } from "vitest";
import { ARENA_ALIGN } from "../src/index.js";
import { planOffsets, type BufferRequest } from "../src/dispatch/buffer-plan.js";

/** Every pair of requests whose step ranges meet occupies disjoint byte ranges. */
function expectNoOverlap(requests: readonly BufferRequest[], offsets: readonly number[]): void {
  requests.forEach((a, i) =>
    requests.forEach((b, j) => {
      if (j <= i || a.last < b.first || b.last < a.first) return;
      const disjoint = offsets[i]! + a.bytes <= offsets[j]! || offsets[j]! + b.bytes <= offsets[i]!;
      expect(disjoint, `requests ${i} and ${j} live together but overlap`).toBe(true);
    }),
  );
}

describe("planOffsets", () => {
  it("reuses the memory of a chain's dead links: a -> b -> c needs two buffers, not three", () => {
    const chain = [
      { bytes: 1000, first: 0, last: 1 },
      { bytes: 1000, first: 1, last: 2 },
      { bytes: 1000, first: 2, last: 3 },
    ];
    const { offsets, bytes } = planOffsets(chain);
    expect(offsets[0]).toBe(offsets[2]);
    expect(offsets[0]).not.toBe(offsets[1]);
    expect(bytes).toBe(2 * 1024);
  });

  it("keeps a long-lived buffer (a skip connection) apart from everything alive meanwhile", () => {
    const requests = [
      { bytes: 64, first: 0, last: 5 },
      { bytes: 640, first: 1, last: 2 },
      { bytes: 640, first: 2, last: 3 },
      { bytes: 640, first: 3, last: 4 },
    ];
    const { offsets, bytes } = planOffsets(requests);
    expectNoOverlap(requests, offsets);
    expect(bytes).toBe(64 + 2 * 640);
  });

  it("gives aligned, non-overlapping offsets on random lifetimes, within the sum of the sizes", () => {
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let trial = 0; trial < 50; trial++) {
      const requests = Array.from({ length: 1 + rand(40) }, () => {
        const first = rand(30);
        return { bytes: 1 + rand(5000), first, last: first + rand(6) };
      });
      const { offsets, bytes } = planOffsets(requests);
      expectNoOverlap(requests, offsets);
      for (const o of offsets) expect(o % ARENA_ALIGN).toBe(0);
      const peak = Math.max(
        ...Array.from({ length: 40 }, (_, step) =>
          requests
            .filter((r) => r.first <= step && step <= r.last)
            .reduce((s, r) => s + r.bytes, 0),
        ),
      );
      expect(bytes).toBeGreaterThanOrEqual(peak);
      expect(bytes).toBeLessThanOrEqual(
        requests.reduce((s, r) => s + Math.ceil(r.bytes / ARENA_ALIGN) * ARENA_ALIGN, 0),
      );
    }
  });
});
