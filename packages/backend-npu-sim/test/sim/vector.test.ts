// The Vector unit's cycle model (spec section 7) on hand-computed cases, and the profile entry
// each npu Vector kernel records.
import { describe, expect, it } from "vitest";
import "@tsnpu/backend-cpu";
import {
  add,
  float16,
  float32,
  maxPool2d,
  ones,
  relu,
  sum,
  tensor,
  type Tensor,
} from "@tsnpu/tensor";
import { Module, compile } from "@tsnpu/nn";
import { npu, setDevice } from "../../src/index.js";
import { getSoc, vectorCost, vectorOpProfile } from "../../src/sim/index.js";

const MI = 1 << 20;
/** A 2^20-element float16 add: two 2 MiB inputs, one 2 MiB output. */
const ADD_1M_FLOAT16 = { elements: MI, elementBytes: 2, bytesIn: 4 * MI, bytesOut: 2 * MI };

describe("vectorCost", () => {
  it("a 1M-element float16 add on Ascend910B is MTE2-bound: 48 AIV, 171 repeats on the slowest", () => {
    // 2 inputs x 2 MiB in, 2 MiB out; lanes = 256 B / 2 B = 128, repeats = 2^20 / 128 = 8192,
    // ceil(8192 / 48) = 171 repeats on the slowest core, which moves 171/8192 of the bytes:
    // mte2 = 4 MiB * 171/8192 / 32 = 2736, mte3 = 1368, vector = 171; + 300 prologue.
    const c = vectorCost(getSoc("Ascend910B"), ADD_1M_FLOAT16);
    expect(c.lanes).toBe(128);
    expect(c.repeats).toBe(8192);
    expect(c.cores).toBe(48);
    expect(c.units).toEqual({ vector: 171, mte2: 2736, mte3: 1368 });
    expect(c.boundBy).toBe("mte2");
    expect(c.cycles).toBe(3036);
    expect(c.microseconds).toBeCloseTo(3036 / 1800 + 10, 9);
  });

  it("the same add on Ascend310P splits over 8 coupled cores at 1.0 GHz [assume]", () => {
    const c = vectorCost(getSoc("Ascend310P"), ADD_1M_FLOAT16);
    expect(c.cores).toBe(8);
    expect(c.units).toEqual({ vector: 1024, mte2: 16384, mte3: 8192 });
    expect(c.cycles).toBe(16684);
    expect(c.microseconds).toBeCloseTo(16.684 + 10, 9);
  });

  it("a 3x3 float16 max pool over 1M outputs is vector-bound (9 passes, 1536 repeats per core)", () => {
    const c = vectorCost(getSoc("Ascend910B"), {
      elements: 9 * MI,
      elementBytes: 2,
      bytesIn: 2 * MI,
      bytesOut: 2 * MI,
    });
    expect(c.repeats).toBe(73728);
    expect(c.units.vector).toBe(1536);
    expect(c.units.mte2).toBeCloseTo((2 * MI) / 48 / 32, 9);
    expect(c.boundBy).toBe("vector");
    expect(c.cycles).toBe(1836);
  });

  it("lanes follow the element size: 64 float32, 256 int8; a tiny op uses one core", () => {
    const soc = getSoc("Ascend910_93");
    const f32 = vectorCost(soc, { elements: 10, elementBytes: 4, bytesIn: 40, bytesOut: 40 });
    expect([f32.lanes, f32.repeats, f32.cores]).toEqual([64, 1, 1]);
    expect(f32.units).toEqual({ vector: 1, mte2: 1.25, mte3: 1.25 });
    expect(f32.cycles).toBe(301.25);
    expect(vectorCost(soc, { elements: 512, elementBytes: 1, bytesIn: 0, bytesOut: 0 }).lanes).toBe(
      256,
    );
  });

  it("the profile entry lists the tagged constants it used", () => {
    const p = vectorOpProfile(getSoc("Ascend910B"), "add", ADD_1M_FLOAT16);
    expect(p.vector?.unit).toBe("vector");
    expect(p.units.mte2).toBe(2736);
    expect(p.boundBy).toBe("mte2");
    const cores = p.constants.find((c) => c.name === "vectorCores");
    expect(cores).toMatchObject({ value: 48, tag: "doc" });
  });
});

describe("npu Vector kernels record one profile entry each", () => {
  it("add, relu, sum and max_pool2d on Ascend910B", () => {
    const a = ones([1, 4, 8, 8], { dtype: float16 }).npu();
    const { profile } = npu.profile(() => {
      const s = add(a, a);
      relu(s);
      sum(s);
      maxPool2d(s, 2);
    });
    expect(profile.ops.map((p) => p.op)).toEqual(["add", "relu", "sum", "max_pool2d"]);
    const [addP, , , pool] = profile.ops;
    expect(addP!.vector).toMatchObject({
      elements: 256,
      elementBytes: 2,
      bytesIn: 1024,
      bytesOut: 512,
    });
    expect(addP!.vector?.cores).toBe(2); // 256 elements = 2 repeats of 128 lanes
    expect(pool!.vector).toMatchObject({ elements: 64 * 4, bytesIn: 512, bytesOut: 128 });
  });

  it("a cast inside a mixed-dtype add is part of the add, not a row of its own", () => {
    const a = ones([300], { dtype: float16 }).npu();
    const b = ones([300], { dtype: float32 }).npu();
    const { profile } = npu.profile(() => add(a, b));
    expect(profile.ops.map((p) => p.op)).toEqual(["add"]);
    expect(profile.ops[0]!.vector).toMatchObject({
      elementBytes: 4,
      bytesIn: 1800,
      bytesOut: 1200,
    });
  });

  it("the 310P saturates float16 results; A2 overflows to Inf", () => {
    setDevice(2, { soc: "Ascend310P" });
    const x = tensor([60000, -60000, 1], { dtype: float16 });
    expect([...add(x.to("npu:2"), x.to("npu:2")).cpu().toTypedArray()]).toEqual([
      0x7bff, 0xfbff, 0x4000,
    ]);
    expect([...add(x.to("npu:0"), x.to("npu:0")).cpu().toTypedArray()]).toEqual([
      0x7c00, 0xfc00, 0x4000,
    ]);
    setDevice(0);
  });

  it("graph mode costs each node once, at compile time, and records it per replay", () => {
    class AddRelu extends Module {
      forward(x: Tensor): Tensor {
        return relu(add(x, x));
      }
    }
    const x = ones([2, 3, 40], { dtype: float16 }).npu();
    const eager = npu.profile(() => relu(add(x, x))).profile.ops;
    const run = compile(new AddRelu(), { backend: npu.backend() });
    run(x);
    const replay = npu.profile(() => run(x)).profile.ops;
    expect(replay.map((p) => p.op)).toEqual(["add", "relu"]);
    expect(eager.map((p) => p.op)).toEqual(["add", "relu"]);
    // Planned: the graph launch (~1 us), and relu fused into add's UB pass.
    expect(replay.map((p) => p.launch)).toEqual(["graph", "graph"]);
    expect(replay[0]!.fusedWith).toEqual(["relu_0"]);
    expect(replay[1]!).toMatchObject({ microseconds: 0, fusedWith: ["add_0"] });
    // The same prepared entry every replay: nothing is costed again.
    expect(npu.profile(() => run(x)).profile.ops[0]).toBe(replay[0]);
  });
});
