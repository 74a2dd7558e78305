// The op table (tooling/conformance/src/op-table) catches faulty kernels: a backend whose
// kernels are the cpu's with one fault each, the way a real backend goes wrong. Every fault
// must fail its op's entry, and an op registered without an entry must show as a coverage gap.
import { describe, expect, it } from "vitest";
import "../src/index.js";
import { opTable, opsWithoutEntry, runEntry } from "@tsnpu/conformance";
import {
  HostStorage,
  Tensor,
  contiguousStrides,
  findKernel,
  float32,
  registerBackend,
  registerKernel,
  unaryOps,
  binaryOps,
  type UnaryOpName,
  type BinaryOpName,
} from "@tsnpu/tensor";

const device = "faulty";
registerBackend({
  name: device,
  allocate: (dtype, length) => new HostStorage(dtype, dtype.allocate(length)),
});

const cpuUnary = (op: UnaryOpName) => findKernel(unaryOps[op], "cpu")!;
const cpuBinary = (op: BinaryOpName) => findKernel(binaryOps[op], "cpu")!;

// Reads the storage as if the input were contiguous from offset 0.
registerKernel(unaryOps.neg, device, {
  run: ({ self: x }, attrs, outs, derived) =>
    cpuUnary("neg").run(
      { self: new Tensor(x.storage, x.shape, contiguousStrides(x.shape), 0, x.dtype, x.device) },
      attrs,
      outs,
      derived,
    ),
});
// Gives float32 NaNs its own payload.
registerKernel(unaryOps.abs, device, {
  run: (inputs, attrs, outs, derived) => {
    const [out] = cpuUnary("abs").run(inputs, attrs, outs, derived);
    if (out!.dtype === float32) {
      const bits = new Uint32Array((out!.storage.data as Float32Array).buffer);
      bits.forEach((b, i) => {
        if ((b & 0x7fffffff) > 0x7f800000) bits[i] = 0x7fc00001;
      });
    }
    return [out!];
  },
});
// Returns the right values in a column-major tensor.
registerKernel(unaryOps.relu, device, {
  run: (inputs, attrs, outs, derived) => {
    const [out] = cpuUnary("relu").run(inputs, attrs, outs, derived);
    const reversed = [...out!.shape.keys()].reverse();
    return [out!.permute(reversed).contiguous().permute(reversed)];
  },
});
// Overwrites its first input.
registerKernel(binaryOps.add, device, {
  run: (inputs, attrs, outs, derived) => {
    const result = cpuBinary("add").run(inputs, attrs, outs, derived);
    const x = inputs.self;
    const data = x.storage.data;
    if (x.numel() > 0)
      new Uint8Array(data.buffer, data.byteOffset + x.offset * x.dtype.itemSize, 1)[0]! ^= 0xff;
    return result;
  },
});
// Declines every call.
registerKernel(binaryOps.mul, device, { supports: () => false, run: cpuBinary("mul").run });
// An op the table has no entry for.
registerKernel("selftest_unlisted", device, { run: () => [] });

const failuresOf = (op: string) => runEntry(opTable.get(op)!, { device }).failures.join("\n");

describe("the op table against a faulty backend", () => {
  it("reports an op registered without an entry", () => {
    expect(opsWithoutEntry(device)).toEqual(["selftest_unlisted"]);
    expect(opsWithoutEntry("cpu")).toEqual([]);
  });
  it("catches a kernel that ignores strides and offsets", () => {
    expect(failuresOf("neg")).toMatch(/(reversed|gapped|expanded)\): element \d+ is/);
  });
  it("compares NaN payloads", () => {
    expect(failuresOf("abs")).toMatch(/float32.*element \d+ is 0x7fc00001, expected 0x[7f]f/);
  });
  it("catches a non-contiguous result", () => {
    expect(failuresOf("relu")).toMatch(/non-contiguous result/);
  });
  it("catches a kernel that writes into its input", () => {
    expect(failuresOf("add")).toMatch(/input 0 was modified/);
  });
  it("counts declined calls, and an op whose kernel declines everything runs nothing", () => {
    const r = runEntry(opTable.get("mul")!, { device });
    expect(r.failures).toEqual([]);
    expect([r.ran, r.declined]).toEqual([0, r.samples]);
  });
});
