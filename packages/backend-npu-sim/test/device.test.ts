// The npu device as a user sees it: the torch.npu-like namespace, graph mode's one-time weight
// conversion, product refusals at compile time, and the profiler.
import { describe, expect, it } from "vitest";
import {
  Device,
  UnsupportedError,
  float16,
  int8,
  randint,
  tensor,
  zeros,
  ArgumentError,
} from "@tsnpu/tensor";
import { QuantConv2d, compile } from "@tsnpu/nn";
import { npu } from "../src/index.js";

const model = (cin = 16, cout = 16, k = 3) => {
  const m = new QuantConv2d(cin, cout, k, float16, { padding: 1 }).npu();
  m.weight.data = randint(-128, 128, [cout, cin, k, k], { dtype: int8 }).npu();
  return m;
};

describe("npu namespace", () => {
  it("chooses the product per device and reports its properties", () => {
    npu.setDevice(3, { soc: "Ascend310P" });
    expect(npu.currentDevice()).toBe(3);
    const p = npu.getDeviceProperties();
    expect(p.name).toBe("Ascend310P (simulated)");
    expect(p.cubeCores).toBe(8);
    expect(p.soc.clockGHz.tag).toBe("assume");
    npu.setDevice(0);
    expect(npu.getDeviceProperties().cubeCores).toBe(24);
    expect(() => npu.setDevice(8)).toThrow(ArgumentError);
    expect(() => npu.setDevice(0, { soc: "Ascend999" as "Ascend910B" })).toThrow(
      /soc must be one of Ascend910B, Ascend910_93, Ascend310P/,
    );
    expect(() => zeros([1], { device: "npu:9" })).toThrow(
      /device: device must be one of the simulator's devices npu:0 .. npu:7, but got "npu:9", which does not exist/,
    );
  });
});

// Issue 12 defect 5: a tensor made on "npu" while npu:2 was current claimed to be on npu:0.
describe('the index-less device "npu"', () => {
  it("means the current device: tensors report, compare and print their real index", () => {
    npu.setDevice(2, { soc: "Ascend310P" });
    try {
      const t = zeros([2], { device: "npu" });
      expect(t.device.toString()).toBe("npu:2");
      expect(t.device.equals(Device.of("npu:0"))).toBe(false);
      expect(t.device.equals(Device.of("npu:2"))).toBe(true);
      expect(t.toString()).toBe("tensor([0., 0.], device='npu:2')");
      expect(tensor([1]).to("npu").device.toString()).toBe("npu:2");
      expect(t.to("npu")).toBe(t); // already there: no copy
      npu.setDevice(0);
      expect(t.device.toString()).toBe("npu:2"); // made on npu:2, stays there
      expect(t.to("npu").device.toString()).toBe("npu:0");
    } finally {
      npu.setDevice(0);
    }
  });
});

describe("graph mode on the npu", () => {
  it("converts the weight to FRACTAL_Z at compile time, not per call", () => {
    const m = model();
    const x = randint(-128, 128, [1, 16, 8, 8], { dtype: int8 }).npu();
    const eager = npu.profile(() => m.forward(x)).profile;
    expect(eager.ops[0]!.transData.map((t) => t.name)).toEqual([
      "TransData(OIHW->FRACTAL_Z)",
      "TransData(NCHW->NC1HWC0)",
      "TransData(NC1HWC0->NCHW)",
    ]);
    const run = compile(m, { backend: npu.backend() });
    run(x);
    const graph = npu.profile(() => run(x)).profile;
    expect(graph.ops[0]!.transData.map((t) => t.name)).toEqual([
      "npu_quant_conv2d_0/TransData(NCHW->NC1HWC0)",
      "npu_quant_conv2d_0/TransData(NC1HWC0->NCHW)",
    ]);
    expect(graph.microseconds).toBeLessThan(eager.microseconds);
  });

  it("refuses a shape the product cannot run when the graph is built", () => {
    npu.setDevice(2, { soc: "Ascend310P" });
    const m = new QuantConv2d(4, 4, 3, float16).to("npu:2");
    const run = compile(m, { backend: npu.backend() });
    expect(() => run(zeros([1, 4, 8, 3], { dtype: int8, device: "npu:2" }))).toThrow(
      UnsupportedError,
    );
    expect(() => run(zeros([1, 4, 8, 3], { dtype: int8, device: "npu:2" }))).toThrow(
      /Ascend310P.*output W must not be 1/,
    );
    npu.setDevice(0);
  });
});

describe("profiler", () => {
  it("collects a table with tagged constants, a summary line and JSON", () => {
    const m = model(32, 64);
    const run = compile(m, { backend: npu.backend() });
    const x = randint(-128, 128, [1, 32, 28, 28], { dtype: int8 }).npu();
    const { result, profile } = npu.profile(() => run(x));
    expect([...result.shape]).toEqual([1, 64, 28, 28]);
    const conv = profile.ops.find((o) => o.op === "QuantConv2d")!;
    expect(conv.split!.parts).toBeLessThanOrEqual(24);
    expect(["cube", "mte1", "mte2", "fixpipe"]).toContain(conv.boundBy);
    expect(conv.achievedTops).toBeGreaterThan(0);
    expect(conv.achievedTops).toBeLessThanOrEqual(conv.peakTops);
    expect(profile.table()).toMatch(/cubeCores=24 \[doc\]/);
    expect(profile.table()).toMatch(/\[assume\]/);
    expect(profile.summary()).toMatch(
      /^npu profile \(modelled\): Ascend910B total: 3 row\(s\), [\d.]+ us .*; QuantConv2d [\d.]+ us, \w+-bound/,
    );
    const json = JSON.parse(JSON.stringify(profile));
    expect(json.rows.map((r: { op: string }) => r.op)).toContain("QuantConv2d");
    expect(json.microseconds).toBeCloseTo(profile.microseconds);
  });

  it("records nothing outside a profile block", () => {
    const m = model();
    m.forward(randint(-128, 128, [1, 16, 4, 4], { dtype: int8 }).npu());
    const { profile } = npu.profile(() => 1);
    expect(profile.ops).toHaveLength(0);
  });
});
