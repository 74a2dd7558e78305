import "@tsnpu/backend-cpu";
import { float16, rand, randn } from "@tsnpu/tensor";
import { expect, it } from "vitest";
import { BatchNorm2d } from "@tsnpu/nn";

// nn's BatchNorm2d is tested here: nn's own tests run without kernels.
it("BatchNorm2d (eval) computes (x - mean) / sqrt(var + eps) * weight + bias per channel", () => {
  const bn = new BatchNorm2d(3, 1e-3);
  const state = {
    weight: rand([3]).add(0.5),
    bias: randn([3]),
    running_mean: randn([3]),
    running_var: rand([3]).add(0.1),
  };
  bn.loadStateDict(state);
  const x = randn([2, 3, 4, 5]);
  const y = bn.forward(x).toTypedArray() as Float32Array;
  const [g, b, m, v] = Object.values(state).map((t) => t.toTypedArray() as Float32Array);
  const xs = x.toTypedArray() as Float32Array;
  xs.forEach((xi, i) => {
    const c = Math.floor(i / 20) % 3;
    const want = ((xi - m![c]!) / Math.sqrt(v![c]! + 1e-3)) * g![c]! + b![c]!;
    expect(Math.abs(y[i]! - want)).toBeLessThan(1e-5 * Math.max(1, Math.abs(want)));
  });
  expect(bn.forward(x.to(float16)).dtype).toBe(float16);
  expect(Object.keys(bn.stateDict()).sort()).toEqual([
    "bias",
    "running_mean",
    "running_var",
    "weight",
  ]);
  expect(bn.toString()).toBe("BatchNorm2d(3, eps=0.001)");
  expect(bn.affine().scale[0]).toBeCloseTo(g![0]! / Math.sqrt(v![0]! + 1e-3), 12);
});
