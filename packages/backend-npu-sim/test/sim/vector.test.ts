// The Vector unit's cycle model (spec section 7) on hand-computed cases, and the profile row
// each npu Vector kernel records.
import { describe, expect, it } from "vitest";
import "@tsnpu/backend-cpu";
import {
  add,
  cat,
  float16,
  float32,
  int8,
  maxPool2d,
  npuQuantize,
  ones,
  relu,
  softmax,
  sum,
  tensor,
} from "@tsnpu/tensor";
import { npu, setDevice } from "../../src/index.js";
import { getSoc, vectorCost, vectorOpProfile } from "../../src/sim/index.js";

const MI = 1 << 20;
/** A 2^20-element float16 add: two 2 MiB inputs, one 2 MiB output. */
const ADD_1M_FLOAT16 = { op: "Add", elements: MI, laneBytes: 2, bytesIn: 4 * MI, bytesOut: 2 * MI };

describe("vectorCost", () => {
  it("a 1M-element float16 add on Ascend910B is MTE2-bound over 48 AIV cores", () => {
    // lanes = 256 B / 2 B = 128; 2^20 / 48 = 21845.3 -> 21846 elements on the slowest core,
    // 171 repeats; it moves ceil(4 MiB / 48) = 87382 bytes in (/ 32 = 2730.6875 cycles) and
    // ceil(2 MiB / 48) = 43691 out (1365.34375); + 200 prologue; + 10 us eager launch.
    const soc = getSoc("Ascend910B");
    const c = vectorCost(soc, ADD_1M_FLOAT16);
    expect(c.cores).toBe(48);
    expect(c.units).toEqual({ vector: 171, mte2: 2730.6875, mte3: 1365.34375 });
    const p = vectorOpProfile(soc, ADD_1M_FLOAT16);
    expect(p.unit).toBe("Vector");
    expect(p.boundBy).toBe("mte2");
    expect(p.cycles).toBe(2930.6875);
    expect(p.microseconds).toBeCloseTo(2930.6875 / 1800 + 10, 9);
    expect([p.bytesIn, p.bytesOut]).toEqual([4 * MI, 2 * MI]);
  });

  it("the same add on Ascend310P splits over its 8 coupled cores at 1.0 GHz [assume]", () => {
    const p = vectorOpProfile(getSoc("Ascend310P"), ADD_1M_FLOAT16);
    expect(p.cores).toBe(8);
    expect(p.units).toEqual({ vector: 1024, mte2: 16384, mte3: 8192 });
    expect(p.cycles).toBe(16584);
    expect(p.microseconds).toBeCloseTo(16.584 + 10, 9);
  });

  it("a 3x3 float16 max pool over 1M outputs is vector-bound (9 passes, 1536 repeats per core)", () => {
    const p = vectorOpProfile(getSoc("Ascend910B"), {
      op: "MaxPool",
      elements: 9 * MI,
      laneBytes: 2,
      bytesIn: 2 * MI,
      bytesOut: 2 * MI,
    });
    expect(p.units.vector).toBe(1536);
    expect(p.units.mte2).toBe(43691 / 32);
    expect(p.boundBy).toBe("vector");
    expect(p.cycles).toBe(1736);
  });

  it("lanes follow the element size (64 float32); a tiny op runs on one core", () => {
    const p = vectorOpProfile(getSoc("Ascend910_93"), {
      op: "Relu",
      elements: 10,
      laneBytes: 4,
      bytesIn: 40,
      bytesOut: 40,
    });
    expect(p.cores).toBe(1);
    expect(p.units).toEqual({ vector: 1, mte2: 1.25, mte3: 1.25 });
    expect(p.cycles).toBe(201.25);
    const c = vectorCost(getSoc("Ascend910B"), { ...ADD_1M_FLOAT16, laneBytes: 4 });
    expect(c.units.vector).toBe(Math.ceil(21846 / 64));
  });
});

describe("npu Vector kernels record one profile row each", () => {
  it("add, relu, sum and max_pool2d on Ascend910B (pooling works in NC1HWC0: TransData around it)", () => {
    const a = ones([1, 4, 8, 8], { dtype: float16 }).npu();
    const { profile } = npu.profile(() => {
      const s = add(a, a);
      relu(s);
      sum(s);
      maxPool2d(s, 2);
    });
    expect(profile.ops.map((p) => p.op)).toEqual(["Add", "Relu", "ReduceSum", "MaxPool"]);
    const [addRow, , , pool] = profile.ops;
    // 256 float16 elements = 2 repeats of 128 lanes: 2 cores.
    expect(addRow).toMatchObject({ unit: "Vector", bytesIn: 1024, bytesOut: 512, cores: 2 });
    expect(pool).toMatchObject({ bytesIn: 512, bytesOut: 128 });
    // 64 outputs x 4 taps = 256 elements: 2 repeats, one on each of 2 cores.
    expect(pool).toMatchObject({ cores: 2, units: { vector: 1 } });
    expect(pool!.transData.map((t) => t.name)).toEqual([
      "TransData(NCHW->NC1HWC0)",
      "TransData(NC1HWC0->NCHW)",
    ]);
  });

  it("a cast inside a mixed-dtype add is part of the add, not a row of its own", () => {
    const a = ones([300], { dtype: float16 }).npu();
    const b = ones([300], { dtype: float32 }).npu();
    const { profile } = npu.profile(() => add(a, b));
    expect(profile.ops.map((p) => p.op)).toEqual(["Add"]);
    expect(profile.ops[0]).toMatchObject({ bytesIn: 1800, bytesOut: 1200 });
    expect(npu.profile(() => a.to(float32)).profile.ops.map((p) => p.op)).toEqual(["Cast"]);
  });

  it("npu_quantize, softmax and cat are Vector rows with their CANN names and GM traffic", () => {
    const x = ones([2, 64], { dtype: float16 }).npu();
    const scale = tensor([0.5], { dtype: float32 }).npu();
    const { profile } = npu.profile(() => {
      npuQuantize(x, scale, null, int8, { axis: -1, divMode: true });
      softmax(x, 1);
      cat([x, x], 0);
    });
    expect(profile.ops.map((p) => [p.op, p.unit])).toEqual([
      ["AscendQuantV2", "Vector"],
      ["SoftmaxV2", "Vector"],
      ["ConcatD", "Vector"],
    ]);
    const [quantize, , concat] = profile.ops;
    expect(quantize).toMatchObject({ bytesIn: 256 + 4, bytesOut: 128 });
    expect(concat).toMatchObject({ bytesIn: 512, bytesOut: 512 });
  });

  it("the 310P saturates float16 results; A2 overflows to Inf", () => {
    setDevice(2, { soc: "Ascend310P" });
    const x = tensor([60000, -60000, 1], { dtype: float16 });
    const twice = (device: string) => {
      const y = x.to(device);
      return [...add(y, y).cpu().toTypedArray()];
    };
    expect(twice("npu:2")).toEqual([0x7bff, 0xfbff, 0x4000]);
    expect(twice("npu:0")).toEqual([0x7c00, 0xfc00, 0x4000]);
    setDevice(0);
  });
});
