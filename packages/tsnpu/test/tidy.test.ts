// tidy() and dispose() on the cpu and the simulated npu (device-agnostic ops: the npu has
// QuantConv2d kernels only): the same semantics as on wasm (whose
// memory figures are tested in backend-wasm/test/lifecycle.test.ts).
import { describe, expect, it } from "vitest";
import * as torch from "../src/index.js";
import { QuantConv2d } from "../src/contrib.js";

for (const device of ["cpu", "npu"] as const) {
  describe(`tidy on ${device}`, () => {
    it("disposes what a scope made and did not return, nested scopes included", () => {
      let dropped: torch.Tensor | undefined;
      let innerDropped: torch.Tensor | undefined;
      const [a, { b }] = torch.tidy(() => {
        const x = torch.ones([3], { device });
        dropped = x.clone();
        const inner = torch.tidy(() => {
          innerDropped = x.clone();
          return x.to(torch.int32);
        });
        return [x.clone(), { b: inner }] as const;
      });
      expect(a.tolist()).toEqual([1, 1, 1]);
      expect(b.tolist()).toEqual([1, 1, 1]);
      expect(() => dropped!.tolist()).toThrow(torch.DisposedError);
      expect(() => innerDropped!.tolist()).toThrow(torch.DisposedError);
    });

    it("refuses an async function", () => {
      expect(() => torch.tidy((async () => torch.ones([1])) as never)).toThrow(torch.ArgumentError);
    });

    it("Module.dispose frees the parameters; the module and its compiled models then throw DisposedError", () => {
      const m = new QuantConv2d(1, 1, 1, torch.float16).to(device);
      const x = torch.ones([1, 1, 2, 2], { dtype: torch.int8, device });
      const run = torch.compile(m);
      expect(torch.tidy(() => run(x)).shape).toEqual([1, 1, 2, 2]);
      m.dispose();
      expect(() => m.forward(x)).toThrow(torch.DisposedError);
      expect(() => run(x)).toThrow(torch.DisposedError);
    });
  });
}
