import { describe, expect, it } from "vitest";
import {
  ArgumentError,
  UnsupportedError,
  float16,
  float32,
  int32,
  int64,
  int8,
  tensor,
  zeros,
  registerBackend,
  HostStorage,
  type Tensor,
} from "@tsnpu/tensor";
import {
  Conv2d,
  Linear,
  Module,
  Parameter,
  QuantConv2d,
  ReLU,
  Sequential,
  compile,
} from "../src/index.js";

// A second host-memory device, so device moves can be tested without any backend package.
registerBackend({
  name: "testdev",
  allocate: (dtype, n) => new HostStorage(dtype, dtype.allocate(n)),
  supportsDynamicShapes: false,
});

class Affine extends Module {
  readonly w = this.registerParameter("w", new Parameter(tensor([1, 2, 3], { dtype: float32 })));
  readonly inner = this.registerModule("inner", new Sequential(new Linear(3, 2), new ReLU()));
  forward(x: Tensor): Tensor {
    return x;
  }
}

describe("Module", () => {
  it("names parameters through the module tree", () => {
    expect([...new Affine().namedParameters()].map(([n]) => n)).toEqual([
      "w",
      "inner.0.weight",
      "inner.0.bias",
    ]);
  });

  it("round-trips a state dict and reports missing or unexpected keys", () => {
    const a = new Affine();
    const b = new Affine();
    b.loadStateDict(a.stateDict());
    expect(b.stateDict()["inner.0.weight"]!.tolist()).toEqual(
      a.stateDict()["inner.0.weight"]!.tolist(),
    );
    expect(() => b.loadStateDict({ w: a.w.data })).toThrow(
      /missing \[inner.0.weight, inner.0.bias\]/,
    );
    expect(b.loadStateDict({ w: a.w.data, extra: a.w.data }, { strict: false })).toEqual({
      missingKeys: ["inner.0.weight", "inner.0.bias"],
      unexpectedKeys: ["extra"],
    });
    expect(() => b.loadStateDict({ ...a.stateDict(), w: zeros([4]) })).toThrow(
      /w must be shape \[3\], but got shape \[4\]/,
    );
  });

  it("keeps a loaded tensor's dtype (how a float32 scale reaches QuantConv2d)", () => {
    const m = new QuantConv2d(1, 2, 1, float16);
    m.loadStateDict({ ...m.stateDict(), scale: tensor([0.5, 0.25], { dtype: float32 }) });
    expect(m.scale.dtype).toBe(float32);
  });

  // Issue 12 defect 6: a bad bias threw after weight had been replaced, and a float32 weight
  // of the right shape was accepted (the error came only at forward).
  it("loads atomically: a bad entry leaves every parameter as it was", () => {
    const m = new QuantConv2d(1, 2, 1, float16);
    const before = m.weight.data;
    const good = { ...m.stateDict(), weight: tensor([[[[1]]], [[[2]]]], { dtype: int8 }) };
    expect(() => m.loadStateDict({ ...good, bias: zeros([3], { dtype: int32 }) })).toThrow(
      /loadStateDict: bias must be shape \[2\]/,
    );
    expect(() => m.loadStateDict({ ...good, bias: "zeros" as unknown as Tensor })).toThrow(
      /bias must be a Tensor/,
    );
    expect(() => m.loadStateDict({ ...good, bias: null as unknown as Tensor })).toThrow(
      /bias must be a Tensor, but got null/,
    );
    expect(m.weight.data).toBe(before);
    m.loadStateDict(good);
    expect(m.weight.data.tolist()).toEqual([[[[1]]], [[[2]]]]);
  });

  it("refuses a tensor of the wrong dtype at load, not at forward", () => {
    const m = new QuantConv2d(1, 2, 1, float16);
    const e = (() => {
      try {
        m.loadStateDict({ ...m.stateDict(), weight: zeros([2, 1, 1, 1], { dtype: float32 }) });
      } catch (err) {
        return err as ArgumentError;
      }
    })();
    expect(e).toBeInstanceOf(ArgumentError);
    expect(e).toMatchObject({
      op: "loadStateDict",
      argument: "weight",
      expected: "of dtype int8",
      received: "dtype float32",
    });
    expect(() =>
      m.loadStateDict({ ...m.stateDict(), scale: zeros([2], { dtype: float16 }) }),
    ).toThrow(/scale must be of dtype int64 or float32/);
    expect(() =>
      new Affine().loadStateDict({ ...new Affine().stateDict(), w: zeros([3], { dtype: int64 }) }),
    ).toThrow(/w must be of dtype float32/);
  });

  it("loadStateDict(null) and other non-objects are ArgumentErrors naming state", () => {
    for (const bad of [null, undefined, 3, "w", [zeros([3])], zeros([3])]) {
      expect(() => new Affine().loadStateDict(bad as never)).toThrow(
        /loadStateDict: state must be an object mapping parameter names to tensors/,
      );
    }
  });

  it("moves every parameter with to(device)", () => {
    const m = new Affine().to("testdev");
    expect(m.parameters().every((p) => p.device.type === "testdev")).toBe(true);
    expect(
      m
        .cpu()
        .parameters()
        .every((p) => p.device.type === "cpu"),
    ).toBe(true);
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
    expect(() =>
      compile(m, {
        backend: {
          name: "testdev",
          allocate: () => {
            throw new Error();
          },
        },
      }),
    ).toThrow(ArgumentError);
  });
  it("refuses dynamic shapes on a backend that supports static shapes only", () => {
    const m = new QuantConv2d(1, 1, 3, float16).to("testdev");
    expect(() => compile(m, { dynamic: true })).toThrow(UnsupportedError);
  });
  it("refuses inputs on another device", () => {
    const run = compile(new QuantConv2d(1, 1, 3, float16));
    expect(() => run(zeros([1, 1, 4, 4], { dtype: int64, device: "testdev" }))).toThrow(
      /input 0 must be a tensor on the "cpu" device/,
    );
  });
  // Issue 12 defect 7: a compiled model called with 2 inputs ignored the second one.
  it("refuses a call with more or fewer inputs than forward takes", () => {
    const m = new QuantConv2d(1, 1, 1, float16);
    const x = zeros([1, 1, 2, 2], { dtype: int8 });
    for (const run of [compile(m), compile(m, { dynamic: true })]) {
      expect(() => run(x, x)).toThrow(
        /compiled model: inputs must be 1 tensor\(s\), as QuantConv2d.forward takes, but got 2/,
      );
      expect(() => run()).toThrow(ArgumentError);
    }
    expect(() => compile(null as never)).toThrow(/compile: model must be a Module, but got null/);
  });
});
