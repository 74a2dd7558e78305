// A call on a device whose kernels were never registered (this package's tests import no
// backend) names the package to import, like the wasm device's "no backend" error does.
import { describe, expect, it } from "vitest";
import {
  ArgumentError,
  HostStorage,
  KernelNotFoundError,
  TsnpuError,
  add,
  float16,
  int32,
  int64,
  int8,
  npuQuantConv2d,
  registerBackend,
  tensor,
  zeros,
} from "../src/index.js";

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error("expected a throw");
}

describe("a call whose backend's kernels are not registered", () => {
  it("on the cpu device, names @tsnpu/backend-cpu", () => {
    const e = thrown(() => add(tensor([1, 2]), 1));
    expect(e).toBeInstanceOf(KernelNotFoundError);
    expect(e).toMatchObject({ op: "add", backend: "cpu" });
    expect((e as Error).message).toMatch(
      /no kernels are registered for the "cpu" device; import "@tsnpu\/backend-cpu" \(or "tsnpu"/,
    );
  });

  it("names it for the headline op too", () => {
    const x = zeros([1, 1, 4, 4], { dtype: int8 });
    const w = zeros([1, 1, 3, 3], { dtype: int8 });
    const scale = zeros([1], { dtype: int64 });
    expect(() =>
      npuQuantConv2d(x, w, scale, {
        strides: [1, 1],
        pads: [0, 0],
        dilations: [1, 1],
        outputDtype: float16,
      }),
    ).toThrow(/import "@tsnpu\/backend-cpu"/);
  });

  it("on a third-party device, names no package and says to register a kernel", () => {
    registerBackend({
      name: "toy",
      allocate: (dtype, length) => new HostStorage(dtype, dtype.allocate(length)),
    });
    const e = thrown(() => add(tensor([1, 2], { dtype: int32, device: "toy" }), 1));
    expect(e).toBeInstanceOf(KernelNotFoundError);
    expect((e as Error).message).not.toMatch(/@tsnpu\//);
    expect((e as Error).message).toMatch(/registerKernel\("add", "toy"/);
  });
});

// Issue 12 defect 11: to("int4") said "no backend is registered for device type int4".
describe("to() with a string that is neither a dtype nor a device", () => {
  it("says so, listing the dtypes and the registered devices", () => {
    const e = thrown(() => tensor([1]).to("int4"));
    expect(e).toBeInstanceOf(ArgumentError);
    expect(e).toMatchObject({ op: "to", argument: "target" });
    expect((e as Error).message).toMatch(
      /to: target must be a dtype \(bool, uint8, .*float64\) or a device of a registered backend \(cpu.*\), but got "int4", which is neither/,
    );
    expect(thrown(() => tensor([1]).to({ device: "int4" }))).toMatchObject({
      op: "to",
      argument: "device",
    });
  });

  it("still names the package to import for a built-in device whose backend is missing", () => {
    const e = thrown(() => tensor([1]).to("npu"));
    expect(e).not.toBeInstanceOf(ArgumentError);
    expect(e).toBeInstanceOf(TsnpuError);
    expect((e as Error).message).toMatch(/import "@tsnpu\/backend-npu-sim"/);
  });
});
