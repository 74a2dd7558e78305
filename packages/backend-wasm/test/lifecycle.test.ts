// Deterministic memory on the wasm device (issue 12): tidy() and dispose() return memory at
// once, eager packed weights follow their weight's storage, graph replay frees its temporaries,
// and a shut-down runtime's tensors refuse to be used (defects 3, 4 and 10).
import { afterEach, describe, expect, it } from "vitest";
import "@tsnpu/backend-cpu";
import {
  ArgumentError,
  DisposedError,
  float16,
  float32,
  int8,
  keep,
  randint,
  tensor,
  tidy,
  zeros,
} from "@tsnpu/tensor";
import { QuantConv2d, compile } from "@tsnpu/nn";
import { wasm } from "../src/index.js";

/** A QuantConv2d 16 -> 16, k3 p1 on wasm with small non-zero weights. */
function makeModule(seed = 1): QuantConv2d {
  const m = new QuantConv2d(16, 16, 3, float16, { padding: 1 }).to("wasm");
  m.weight.data = randint(-3, 4, [16, 16, 3, 3], { dtype: int8 }).to("wasm");
  m.scale.data = tensor(
    Array.from({ length: 16 }, (_, i) => 0.01 * (i + seed)),
    { dtype: float32 },
  ).to("wasm");
  return m;
}
const input = () => randint(-5, 6, [1, 16, 32, 32], { dtype: int8 }).to("wasm");

afterEach(() => wasm.shutdown());

describe("tidy and dispose on wasm", () => {
  it("tidy frees every tensor it made except what it returns, nested ones included", async () => {
    await wasm.ready({ numThreads: 1 });
    const before = wasm.memory();
    const kept = tidy(() => {
      const a = zeros([1000], { device: "wasm" });
      const b = a.add(1);
      const inner = tidy(() => ({ list: [b.mul(2)], dropped: b.mul(3) !== null }));
      return { pair: [b.add(1), inner.list[0]!] };
    });
    expect(wasm.memory().liveTensors).toBe(before.liveTensors + 2);
    expect(kept.pair[0]!.cpu().tolist()).toEqual(Array(1000).fill(2));
    expect(kept.pair[1]!.cpu().tolist()).toEqual(Array(1000).fill(2));
    for (const t of kept.pair) t.dispose();
    expect(wasm.memory().liveTensors).toBe(before.liveTensors);
    expect(wasm.memory().allocatedBytes).toBe(before.allocatedBytes);
  });

  it("keep() exempts a tensor; a throwing scope still frees; a disposed tensor throws DisposedError", async () => {
    await wasm.ready({ numThreads: 1 });
    const before = wasm.memory().liveTensors;
    let inner: ReturnType<typeof zeros> | undefined;
    const survivor = tidy(() => {
      keep(zeros([4], { device: "wasm" }).add(5));
      inner = zeros([4], { device: "wasm" });
      return keep(zeros([4], { device: "wasm" }));
    });
    expect(wasm.memory().liveTensors).toBe(before + 2);
    expect(() => inner!.toTypedArray()).toThrow(DisposedError);
    expect(() =>
      tidy(() => {
        zeros([8], { device: "wasm" });
        throw new Error("boom");
      }),
    ).toThrow("boom");
    expect(wasm.memory().liveTensors).toBe(before + 2);
    survivor.dispose();
  });

  it("eager QuantConv2d calls inside tidy keep memory flat (contiguous and permuted inputs)", async () => {
    await wasm.ready({ numThreads: 1 });
    const m = makeModule();
    for (const permuted of [false, true]) {
      const call = () =>
        tidy(() => {
          const x = permuted
            ? randint(-5, 6, [1, 32, 32, 16], { dtype: int8 }).to("wasm").permute(0, 3, 1, 2)
            : input();
          m.forward(x);
        });
      call();
      const start = wasm.memory();
      for (let i = 0; i < 200; i++) call();
      const end = wasm.memory();
      expect(end.allocatedBytes).toBe(start.allocatedBytes);
      expect(end.liveTensors).toBe(start.liveTensors);
      expect(end.packedWeights).toBe(1);
    }
    m.dispose();
  });

  it("Module.dispose frees its parameters and packed weights; the module then throws DisposedError", async () => {
    await wasm.ready({ numThreads: 1 });
    const x = input();
    const start = wasm.memory();
    for (let i = 0; i < 20; i++) {
      const m = tidy(() => makeModule(i)); // the parameters .to() and `.data =` replaced are freed
      tidy(() => m.forward(x)).dispose(); // the returned output is the caller's
      const run = compile(m);
      tidy(() => {
        run(x);
      });
      m.dispose();
      expect(() => m.forward(x)).toThrow(DisposedError);
      expect(() => run(x)).toThrow(DisposedError);
    }
    const end = wasm.memory();
    expect(end.packedWeights).toBe(start.packedWeights);
    expect(end.liveTensors).toBe(start.liveTensors);
    expect(end.allocatedBytes).toBe(start.allocatedBytes);
  });

  it("a compiled model's dispose frees its graphs; replay frees the copy of a non-contiguous input", async () => {
    await wasm.ready({ numThreads: 1 });
    const m = makeModule();
    const run = compile(m);
    const strided = randint(-5, 6, [1, 32, 32, 16], { dtype: int8 }).to("wasm").permute(0, 3, 1, 2);
    run(strided).dispose();
    const start = wasm.memory();
    for (let i = 0; i < 50; i++) run(strided).dispose();
    expect(wasm.memory().allocatedBytes).toBe(start.allocatedBytes);
    expect(wasm.memory().liveTensors).toBe(start.liveTensors);
    const packed = wasm.memory().packedWeights;
    run.dispose();
    expect(wasm.memory().packedWeights).toBe(packed - 1);
    expect(() => run(strided)).toThrow(DisposedError);
    m.dispose();
  });
});

describe("wasm lifecycle defects (issue 12)", () => {
  it("defect 3: a tensor made before shutdown() throws DisposedError after a new ready(), not zeros", async () => {
    await wasm.ready({ numThreads: 1 });
    const t = tensor([1, 1, 1, 1], { dtype: float32 }).to("wasm");
    wasm.shutdown();
    await wasm.ready({ numThreads: 1 });
    expect(() => t.toTypedArray()).toThrow(DisposedError);
    expect(() => t.add(1)).toThrow(DisposedError);
  });

  it("defect 4: eager packed weights follow writes to the weight's storage, and a disposed weight is refused", async () => {
    await wasm.ready({ numThreads: 1 });
    const m = new QuantConv2d(1, 1, 1, float16).to("wasm");
    m.weight.data = tensor([[[[1]]]], { dtype: int8 }).to("wasm");
    m.scale.data = tensor([1], { dtype: float32 }).to("wasm");
    const x = tensor([[[[1]]]], { dtype: int8 }).to("wasm");
    expect(m.forward(x).cpu().tolist()).toEqual([[[[1]]]]);
    (m.weight.data.storage.data as Int8Array)[0] = 5;
    expect(m.forward(x).cpu().tolist()).toEqual([[[[5]]]]);
    const packed = wasm.memory().packedWeights;
    m.weight.data.dispose();
    expect(wasm.memory().packedWeights).toBe(packed - 1);
    expect(() => m.forward(x)).toThrow(DisposedError);
  });

  it("defect 10: ready() with another numThreads after start is refused; 0 is refused", async () => {
    await wasm.ready({ numThreads: 2 });
    await expect(wasm.ready({ numThreads: 1 })).rejects.toThrow(ArgumentError);
    await expect(wasm.ready({ numThreads: 1 })).rejects.toThrow(/setNumThreads|shutdown/);
    await expect(wasm.ready({ numThreads: 0 })).rejects.toThrow(ArgumentError);
    expect((await wasm.ready({ numThreads: 2 })).numThreads).toBe(2);
    expect((await wasm.ready()).numThreads).toBe(2);
    wasm.shutdown();
    expect((await wasm.ready({ numThreads: 1 })).numThreads).toBe(1);
  });
});
