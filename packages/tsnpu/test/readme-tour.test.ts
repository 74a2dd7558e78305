// The README's tour, as written there, gives the same bits on npu, cpu and wasm.
import { expect, it } from "vitest";
import * as torch from "../src/index.js";
import { QuantConv2d } from "../src/contrib.js";

it("runs the README tour", async () => {
  torch.npu.setDevice(0);
  const x = torch.randint(-128, 128, [1, 16, 32, 32], { dtype: torch.int8 }).npu();
  const model = new QuantConv2d(16, 32, 3, torch.float16, { padding: 1 }).npu();
  model.weight.data = torch.randint(-128, 128, [32, 16, 3, 3], { dtype: torch.int8 }).npu();
  model.scale.data = torch.rand([32]).mul(1e-3).npu();
  const run = torch.compile(model, { backend: torch.npu.backend(), dynamic: false });
  const { result, profile } = torch.npu.profile(() => run(x));
  expect([...result.shape]).toEqual([1, 32, 32, 32]);
  expect(profile.table()).toContain("QuantConv2d");
  const y = model.cpu().forward(x.cpu());
  await torch.wasm.ready({ numThreads: 2 });
  const z = model.to("wasm").forward(x.to("wasm"));
  expect(y.toTypedArray()).toEqual(result.cpu().toTypedArray());
  expect(z.cpu().toTypedArray()).toEqual(y.toTypedArray());
  const live = torch.wasm.memory().liveTensors;
  const logits = torch.tidy(() => model.forward(x.to("wasm")).to("cpu"));
  expect(torch.wasm.memory().liveTensors).toBe(live);
  expect(logits.toTypedArray()).toEqual(y.toTypedArray());
  model.dispose();
  expect(() => run(x)).toThrow(torch.DisposedError);
  torch.wasm.shutdown();
});
