// packages/quantization/README.md's example, as written there (through tsnpu and tsnpu/quantization).
import { expect, it } from "vitest";
import * as torch from "../src/index.js";
import { BatchNorm2d, Conv2d, Flatten, Linear, ReLU, Sequential } from "../src/index.js";
import { loadQuantized, quantize, saveQuantized } from "../src/quantization.js";

it("runs the quantization README's example", async () => {
  const float = new Sequential(
    new Conv2d(3, 16, 3, { padding: 1 }),
    new BatchNorm2d(16),
    new ReLU(),
    new Conv2d(16, 16, 3, { stride: 2, padding: 1 }),
    new ReLU(),
    new Flatten(),
    new Linear(16 * 16 * 16, 10),
  );
  const calibration = Array.from({ length: 8 }, () => torch.randn([4, 3, 32, 32]));
  const progress: string[] = [];
  const { model, report } = await quantize(float, calibration, {
    activation: "percentile",
    percentile: 99.99,
    symmetric: false,
    heldOut: torch.randn([4, 3, 32, 32]),
    onProgress: ({ batchesDone, totalBatches }) => progress.push(`${batchesDone}/${totalBatches}`),
  });
  expect(progress.at(-1)).toBe("8/8");
  expect(report.toString()).toMatch(/int8: 2 of 2 conv layers/);
  const x = torch.randn([4, 3, 32, 32]).to(torch.float16);
  const logits = model.forward(x);
  expect([logits.dtype, logits.shape]).toEqual([torch.float16, [4, 10]]);
  const again = loadQuantized(saveQuantized(model));
  expect([...again.forward(x).toTypedArray()]).toEqual([...logits.toTypedArray()]);
});
