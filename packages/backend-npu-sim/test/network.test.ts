// Whole networks on the simulated npu (spec section 7): per-layer rows named after module paths,
// TransData only where neighbouring formats differ, fusion switchable, graph mode planning once,
// every refused layer named, products compared in one call, the Chrome trace's shape.
import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import "@tsnpu/backend-cpu";
import { Conv2d, Flatten, Linear, MaxPool2d, ReLU, Sequential, compile } from "@tsnpu/nn";
import { float16, float32, randn, type Tensor } from "@tsnpu/tensor";
import { NetworkRefusedError, compareProducts, npu } from "../src/index.js";
import { plannedGraphCount } from "../src/network-plan.js";

/** conv -> relu -> depthwise conv -> relu -> pool -> flatten -> linear, float16 on `device`. */
function network(device = "npu:0", dtype = float16): Sequential {
  const m = new Sequential(
    new Conv2d(8, 16, 3, { padding: 1 }),
    new ReLU(),
    new Conv2d(16, 16, 3, { padding: 1, groups: 16 }),
    new ReLU(),
    new MaxPool2d(2),
    new Flatten(),
    new Linear(16 * 4 * 4, 10),
  );
  for (const [, p] of m.namedParameters()) p.data = p.data.to(dtype).to(device);
  return m;
}

const input = (device = "npu:0", dtype = float16): Tensor =>
  randn([2, 8, 8, 8]).to(dtype).to(device);

const bits = (t: Tensor) => [...(t.cpu().toTypedArray() as Uint16Array)];

describe("a float16 network on npu", () => {
  it("returns the cpu's bits, eager and compiled", () => {
    const m = network();
    const x = input();
    const cpuModel = network("cpu");
    const params = new Map(m.namedParameters());
    for (const [name, p] of cpuModel.namedParameters()) p.data = params.get(name)!.data.cpu();
    const want = bits(cpuModel.forward(x.cpu()));
    expect(bits(m.forward(x))).toEqual(want);
    expect(bits(compile(m, { backend: npu.backend() })(x))).toEqual(want);
  });

  it("profiles one row per layer, named after the module path, with TransData only between differing formats", () => {
    const run = compile(network(), { backend: npu.backend({ fusion: false }) });
    const x = input();
    run(x);
    const rows = npu.profile(() => run(x)).profile.rows();
    const names = rows.map((r) => r.name);
    expect(names).toEqual([
      "0/TransData(NCHW->NC1HWC0)",
      "0",
      "1",
      "2",
      "3",
      "4",
      "5/TransData(NC1HWC0->NCHW)",
      "5",
      "6",
      "6",
    ]);
    expect(rows.map((r) => r.op)).toEqual([
      "TransData",
      "Conv2D",
      "relu",
      "DepthwiseConv2D",
      "relu",
      "max_pool2d",
      "TransData",
      "View",
      "MatMul",
      "add",
    ]);
    expect(rows.map((r) => r.unit)).toEqual([
      "MTE",
      "Cube",
      "Vector",
      "Cube",
      "Vector",
      "Vector",
      "MTE",
      "MTE",
      "Cube",
      "Vector",
    ]);
    // Graph mode: about 1 us per launched op; views launch nothing (the weight's transpose
    // was folded at compile time).
    expect(rows[1]!.launchOverheadUs).toBe(1);
    expect(rows[7]!.microseconds).toBe(0);
    for (const r of rows) expect(r.fusedWith).toEqual([]);
  });

  it("shows the depthwise convolution's fractal waste", () => {
    const run = compile(network(), { backend: npu.backend() });
    const x = input();
    run(x);
    const rows = npu.profile(() => run(x)).profile.rows();
    const conv = rows.find((r) => r.op === "Conv2D")!;
    const dw = rows.find((r) => r.op === "DepthwiseConv2D")!;
    // 16 groups of 1 channel packed on a 16x16 fractal's diagonal: 1/16 of the MACs are useful.
    expect(dw.macs / dw.paddedMacs).toBeCloseTo(1 / 16, 6);
    expect(conv.macs / conv.paddedMacs).toBeCloseTo(0.5, 6); // Cin 8 of 16 lanes
    expect(dw.units.cube).toBeGreaterThan(0);
  });

  it("fuses conv + relu (FixPipe) and records who carries the cost; fusion: false turns it off", () => {
    const x = input();
    const fused = compile(network(), { backend: npu.backend() });
    const plain = compile(network(), { backend: npu.backend({ fusion: false }) });
    fused(x);
    plain(x);
    const f = npu.profile(() => fused(x)).profile;
    const p = npu.profile(() => plain(x)).profile;
    const row = (prof: typeof f, name: string) => prof.rows().find((r) => r.name === name)!;
    expect(row(f, "0").fusedWith).toEqual(["1"]);
    expect(row(f, "1")).toMatchObject({ microseconds: 0, fusedWith: ["0"] });
    expect(row(f, "2").fusedWith).toEqual(["3"]);
    expect(row(p, "1").microseconds).toBeGreaterThan(0);
    // A2: FixPipe applies the ReLU in its pass, so the conv costs the same.
    expect(row(f, "0").cycles).toBe(row(p, "0").cycles);
    expect(f.microseconds).toBeLessThan(p.microseconds);
  });

  it("on the 310P the vector unit applies the fused ReLU after the dequant", () => {
    const x = input();
    const cmp = compareProducts(network(), x, ["Ascend910B", "Ascend310P"]);
    const conv = (i: number) => cmp.runs[i]!.profile.rows().find((r) => r.name === "0")!;
    expect(conv(0).units.vector ?? 0).toBe(0);
    expect(conv(1).units.vector).toBeGreaterThan(0);
    expect(conv(1).fusedWith).toEqual(["1"]);
  });

  it("plans once per compiled signature: replays plan nothing", () => {
    const run = compile(network(), { backend: npu.backend() });
    const x = input();
    const before = plannedGraphCount();
    run(x);
    expect(plannedGraphCount()).toBe(before + 1);
    for (let i = 0; i < 3; i++) run(x);
    expect(plannedGraphCount()).toBe(before + 1);
    const first = npu.profile(() => run(x)).profile.ops;
    const second = npu.profile(() => run(x)).profile.ops;
    first.forEach((row, i) => expect(second[i]).toBe(row)); // the planned rows, not recomputed
  });

  it("refuses a network with every offending layer named", () => {
    // float32 convolutions and matmuls: the simulated Cube runs float16 only.
    const m = network("npu:0", float32);
    const run = compile(m, { backend: npu.backend() });
    let error: unknown;
    try {
      run(input("npu:0", float32));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NetworkRefusedError);
    const refused = (error as NetworkRefusedError).layers;
    expect(refused.map((l) => [l.layer, l.op])).toEqual([
      ["0", "conv2d"],
      ["2", "conv2d"],
      ["6", "matmul"],
    ]);
    expect(refused[0]!.rule).toMatch(/float16 convolutions only/);
    expect((error as Error).message).toMatch(
      /Ascend910B cannot run this network: 3 layer\(s\) refused/,
    );
  });

  it("checks the backend options", () => {
    expect(() => npu.backend({ soc: "Ascend999" as "Ascend310P" })).toThrow(
      /npu.backend.*soc.*Ascend910B/,
    );
    expect(() => npu.backend({ fusion: "no" as unknown as boolean })).toThrow(/fusion.*a boolean/);
  });

  it("compares products side by side in one call, with the same bits on A2/A3", () => {
    const x = input();
    const cmp = compareProducts(network(), x, ["Ascend910B", "Ascend910_93", "Ascend310P"]);
    expect(cmp.runs.map((r) => r.soc)).toEqual(["Ascend910B", "Ascend910_93", "Ascend310P"]);
    expect(bits(cmp.runs[0]!.outputs[0]!)).toEqual(bits(cmp.runs[1]!.outputs[0]!));
    const text = cmp.toString();
    expect(text).toMatch(/^layer\s+op\s+Ascend910B us\s+Ascend910_93 us\s+Ascend310P us/);
    expect(text).toMatch(/\ntotal\s+[\d.]+\s+[\d.]+\s+[\d.]+/);
    const [b, , p] = cmp.runs.map((r) => r.profile.microseconds);
    expect(p!).toBeGreaterThan(b!); // 8 cores at 1 GHz vs 24 at 1.8 GHz
  });

  it("writes a Chrome trace: one track per simulated core, X events in us", () => {
    const run = compile(network(), { backend: npu.backend() });
    const x = input();
    run(x);
    const trace = npu.profile(() => run(x)).profile.toChromeTrace();
    // The trace-event format's JSON Object Format, as a schema written from its text.
    const schema = JSON.parse(
      readFileSync(new URL("./trace-event.schema.json", import.meta.url), "utf8"),
    );
    const validate = new Ajv({ allErrors: true }).compile(schema);
    expect(validate(JSON.parse(JSON.stringify(trace))), JSON.stringify(validate.errors)).toBe(true);
    // And the schema can fail: an X event without its duration.
    const broken = { traceEvents: [{ name: "op", ph: "X", pid: 0, tid: 1, ts: 0 }] };
    expect(validate(broken)).toBe(false);
    const meta = trace.traceEvents.filter((e) => e.ph === "M" && e.name === "thread_name");
    expect(meta.length).toBe(1 + 24 + 48); // launch, 24 AIC, 48 AIV
    const xs = trace.traceEvents.filter((e) => e.ph === "X");
    expect(xs.length).toBeGreaterThan(0);
    for (const e of xs) {
      expect(e.dur).toBeGreaterThan(0);
      expect(e.ts).toBeGreaterThanOrEqual(0);
    }
    // Events on one track never overlap.
    const byTrack = new Map<number, { ts: number; dur: number }[]>();
    for (const e of xs)
      byTrack.set(e.tid, [...(byTrack.get(e.tid) ?? []), { ts: e.ts!, dur: e.dur! }]);
    for (const events of byTrack.values())
      events.forEach(
        (e, i) =>
          i > 0 &&
          expect(e.ts).toBeGreaterThanOrEqual(events[i - 1]!.ts + events[i - 1]!.dur - 1e-9),
      );
  });
});
