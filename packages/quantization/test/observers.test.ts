import { describe, expect, it } from "vitest";
import { RangeObserver } from "../src/observers.js";

describe("activation mse search", () => {
  it("[assume] weights each batch by 1 / its mean x^2, so a quiet batch counts as much as a loud one", () => {
    const loudQuiet = new RangeObserver();
    const loud = Float32Array.from({ length: 64 }, (_, i) => (100 * i) / 63);
    const quiet = Float32Array.from({ length: 64 }, (_, i) => i / 63);
    loudQuiet.observe(loud, [1, 1, 64]);
    for (let k = 0; k < 3; k++) loudQuiet.observe(quiet, [1, 1, 64]);
    const loudOnly = new RangeObserver();
    loudOnly.observe(loud, [1, 1, 64]);
    const o = { method: "mse", percentile: 99.99, symmetric: false } as const;
    expect(loudQuiet.params(o).scale).toBeLessThan(loudOnly.params(o).scale);
  });
});
