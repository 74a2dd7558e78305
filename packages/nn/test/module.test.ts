import { describe, expect, it } from "vitest";
import { ArgumentError, UnsupportedError, float16, float32, int64, tensor, zeros, registerBackend, HostStorage, type Tensor } from "@tsnpu/tensor";
import { Conv2d, Linear, Module, Parameter, QuantConv2d, ReLU, Sequential, compile } from "../src/index.js";

// A second host-memory device, so device moves can be tested without any backend package.
registerBackend({ name: "testdev", allocate: (dtype, n) => new HostStorage(dtype, dtype.allocate(n)), supportsDynamicShapes: false });

class Affine extends Module {
  readonly w = this.registerParameter("w", new Parameter(tensor([1, 2, 3], { dtype: float32 })));
  readonly inner = this.registerModule("inner", new Sequential(new Linear(3, 2), new ReLU()));
  forward(x: Tensor): Tensor {
    return x;
  }
}

describe("Module", () => {
  it("names parameters through the module tree", () => {
    expect([...new Affine().namedParameters()].map(([n]) => n)).toEqual(["w", "inner.0.weight", "inner.0.bias"]);
  });

  it("round-trips a state dict and reports missing or unexpected keys", () => {
    const a = new Affine();
    const b = new Affine();
    b.loadStateDict(a.stateDict());
    expect(b.stateDict()["inner.0.weight"]!.tolist()).toEqual(a.stateDict()["inner.0.weight"]!.tolist());
    expect(() => b.loadStateDict({ w: a.w.data })).toThrow(/missing \[inner.0.weight, inner.0.bias\]/);
    expect(b.loadStateDict({ w: a.w.data, extra: a.w.data }, { strict: false })).toEqual({
      missingKeys: ["inner.0.weight", "inner.0.bias"],
      unexpectedKeys: ["extra"],
    });
    expect(() => b.loadStateDict({ ...a.stateDict(), w: zeros([4]) })).toThrow(/w must be shape \[3\], but got shape \[4\]/);
  });

  it("keeps a loaded tensor's dtype (how a float32 scale reaches QuantConv2d)", () => {
    const m = new QuantConv2d(1, 2, 1, float16);
    m.loadStateDict({ ...m.stateDict(), scale: tensor([0.5, 0.25], { dtype: float32 }) });
    expect(m.scale.dtype).toBe(float32);
  });

  it("moves every parameter with to(device)", () => {
    const m = new Affine().to("testdev");
    expect(m.parameters().every((p) => p.device.type === "testdev")).toBe(true);
    expect(m.cpu().parameters().every((p) => p.device.type === "cpu")).toBe(true);
  });

  it("switches train/eval recursively", () => {
    const m = new Affine().eval();
    expect([...m.namedModules()].every(([, x]) => !x.training)).toBe(true);
  });

  it("prints the tree like torch", () => {
    expect(new Sequential(new Conv2d(3, 8, 3, { padding: 1 }), new ReLU()).toString()).toBe(
      "Sequential(\n  (0): Conv2d(3, 8, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))\n  (1): ReLU()\n)",
    );
  });
});

describe("compile", () => {
  it("refuses a model whose parameters are elsewhere than the backend", () => {
    const m = new QuantConv2d(1, 1, 3, float16);
    expect(() => compile(m, { backend: { name: "testdev", allocate: () => { throw new Error(); } } })).toThrow(ArgumentError);
  });
  it("refuses dynamic shapes on a backend that supports static shapes only", () => {
    const m = new QuantConv2d(1, 1, 3, float16).to("testdev");
    expect(() => compile(m, { dynamic: true })).toThrow(UnsupportedError);
  });
  it("refuses inputs on another device", () => {
    const run = compile(new QuantConv2d(1, 1, 3, float16));
    expect(() => run(zeros([1, 1, 4, 4], { dtype: int64, device: "testdev" }))).toThrow(/input 0 must be a tensor on the "cpu" device/);
  });
});
