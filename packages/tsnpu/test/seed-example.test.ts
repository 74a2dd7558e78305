// The seed's script (graph mode on the NPU) gives the same bits on every device, and the
// device-selection machinery behaves as documented.
import { describe, expect, it, vi } from "vitest";
import * as torch from "../src/index.js";
import { QuantConv2d } from "../src/contrib.js";

function seedScript(device: "cpu" | "npu:0", seed: number): torch.Tensor {
  torch.manualSeed(seed);
  const fmap = torch.randint(-1, 1, [1, 1, 64, 64], { dtype: torch.int8 }).to(device);
  const weight = torch.randint(-1, 1, [1, 1, 3, 3], { dtype: torch.int8 }).to(device);
  const scale = torch.rand([1], { dtype: torch.float32 }).to(device);
  const bias = torch.randint(-1, 1, [1], { dtype: torch.int32 }).to(device);
  const model = new QuantConv2d(1, 1, [3, 3], torch.float16).to(device);
  model.weight.data = weight;
  model.scale.data = scale;
  model.bias!.data = bias;
  const backend = device === "cpu" ? torch.getBackend("cpu") : torch.npu.backend();
  return torch.compile(model, { backend, dynamic: false })(fmap);
}

describe("the seed example", () => {
  it("gives identical float16 bits on cpu and on the simulated NPU", () => {
    for (const seed of [0, 1, 2]) {
      const cpu = seedScript("cpu", seed);
      const npu = seedScript("npu:0", seed);
      expect([...npu.shape]).toEqual([1, 1, 62, 62]);
      expect(npu.dtype).toBe(torch.float16);
      expect(npu.device.toString()).toBe("npu:0");
      expect(npu.cpu().toTypedArray()).toEqual(cpu.toTypedArray());
    }
  });

  it("prints like torch, with the device and dtype", () => {
    const text = seedScript("npu:0", 3).toString();
    expect(text.startsWith("tensor([[[[")).toBe(true);
    expect(text).toContain("...");
    expect(text.endsWith("device='npu:0', dtype=torch.float16)")).toBe(true);
  });

  it("refuses dynamic shapes on the npu backend", () => {
    const model = new QuantConv2d(1, 1, 3, torch.float16).npu();
    expect(() => torch.compile(model, { backend: torch.npu.backend(), dynamic: true })).toThrow(
      torch.UnsupportedError,
    );
  });

  it("traces once per input shape and replays the matching graph as shapes alternate", () => {
    torch.manualSeed(11);
    const model = new QuantConv2d(2, 3, 3, torch.float16, { padding: 1 });
    model.weight.data = torch.randint(-128, 128, [3, 2, 3, 3], { dtype: torch.int8 });
    const inputs = [
      [1, 2, 8, 8],
      [2, 2, 5, 7],
    ].map((shape) => torch.randint(-128, 128, shape, { dtype: torch.int8 }));
    const expected = inputs.map((x) => model.forward(x).toTypedArray()); // eager, on cpu
    const run = torch.compile(model.npu(), { backend: torch.npu.backend() });
    for (const i of [0, 0, 1, 0, 1, 1, 0]) {
      expect(run(inputs[i]!.npu()).cpu().toTypedArray()).toEqual(expected[i]);
    }
    expect(run.graphs.size).toBe(2);
    expect(() => run(torch.zeros([1, 2, 8, 8], { dtype: torch.float32 }).npu())).toThrow(
      /input must be of dtype int8/,
    );
  });
});

describe("a small float CNN", () => {
  const net = () => {
    torch.manualSeed(7);
    return new torch.Sequential(
      new torch.Conv2d(3, 4, 3, { padding: 1 }),
      new torch.ReLU(),
      new torch.MaxPool2d(2),
      new torch.Flatten(),
      new torch.Linear(4 * 4 * 4, 5),
    );
  };
  const x = () => torch.randn([2, 3, 8, 8]);

  it("runs eagerly and compiled with the same result", () => {
    const m = net();
    const input = x();
    const eager = m.forward(input);
    expect([...eager.shape]).toEqual([2, 5]);
    expect(torch.compile(m)(input).equal(eager)).toBe(true);
  });

  it("on the npu: a missing kernel is an error that says what to do, and the opt-in fallback warns once", () => {
    const m = net().npu();
    const input = x().npu();
    expect(() => m.forward(input)).toThrow(torch.KernelNotFoundError);
    expect(() => m.forward(input)).toThrow(
      /op "conv2d" has no kernel on backend "npu".*setFallback\("npu", "cpu"\)/,
    );
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    torch.setFallback("npu", "cpu");
    try {
      const y = m.forward(input);
      m.forward(input);
      expect(y.device.toString()).toBe("npu:0");
      expect(y.cpu().equal(net().forward(input.cpu()))).toBe(true);
      const conv2dWarnings = warn.mock.calls.filter((c) => String(c[0]).includes('"conv2d"'));
      expect(conv2dWarnings).toHaveLength(1);
    } finally {
      torch.setFallback("npu", "refuse");
      warn.mockRestore();
    }
  });

  it("refuses tensors on two devices in one op", () => {
    expect(() => torch.add(torch.ones([2]), torch.ones([2]).npu())).toThrow(
      torch.DeviceMismatchError,
    );
  });
});
