// The op table's building blocks: sample inputs reach the device in their layout with every bit
// intact (signalling NaNs included), the reference gets the same elements contiguous, and the
// element comparison compares NaN payloads exactly when asked to.

import { describe, expect, it } from "vitest";
import { float16, float32, int64, type TypedArray } from "@tsnpu/tensor";
import { opTable } from "../src/op-table/table.js";
import {
  SampleGen,
  contiguousOnCpu,
  layoutsFor,
  materialize,
  seedOf,
  type Layout,
  type TensorInput,
} from "../src/op-table/inputs.js";
import { firstElementMismatch } from "../src/op-table/element-bits.js";

const bitsOf = (a: TypedArray) => [...new Uint32Array(a.buffer, a.byteOffset, a.length)];
const bytesOf = (a: TypedArray) =>
  [...new Uint8Array(a.buffer, a.byteOffset, a.byteLength)].join(",");
const f32 = (bits: number[]) => new Float32Array(Uint32Array.from(bits).buffer);

describe("op-table inputs", () => {
  // A signalling NaN, a NaN with a payload, -0 and a subnormal, in a [2, 3] tensor.
  const values = f32([0x7f800001, 0xffa12345, 0x80000000, 0x00000001, 0x3f800000, 0x40000000]);
  const layouts: Layout[] = ["contiguous", "reversed", "gapped", "expanded"];

  it("offers every layout for a [2, 3] tensor and only contiguous for 0-d and all-ones shapes", () => {
    expect(layoutsFor([2, 3])).toEqual(layouts);
    expect(layoutsFor([])).toEqual(["contiguous"]);
    expect(layoutsFor([1, 1])).toEqual(["contiguous", "gapped"]);
  });

  for (const layout of layouts) {
    it(`${layout}: the view has the layout's strides, and the reference gets its elements bit for bit`, () => {
      const input: TensorInput = { dtype: float32, shape: [2, 3], values, layout };
      const view = materialize(input, "cpu");
      const reference = contiguousOnCpu(input);
      expect(view.isContiguous()).toBe(layout === "contiguous");
      expect([...view.strides]).toEqual(
        { contiguous: [3, 1], reversed: [1, 2], gapped: [6, 2], expanded: [0, 1] }[layout],
      );
      expect(view.offset).toBe(layout === "gapped" ? 1 : 0);
      expect(reference.isContiguous()).toBe(true);
      // expanded: both rows repeat the last row written.
      const want =
        layout === "expanded"
          ? [...bitsOf(values).slice(3), ...bitsOf(values).slice(3)]
          : bitsOf(values);
      expect(bitsOf(reference.toTypedArray())).toEqual(want);
    });
  }

  it("keeps the signalling NaN of the storage", () => {
    const view = materialize({ dtype: float32, shape: [2, 3], values, layout: "gapped" }, "cpu");
    const storage = bitsOf(view.storage.data);
    expect(storage[1]).toBe(0x7f800001);
    expect(storage[0]).not.toBe(0x7f800001); // a gap holds the filler
  });
});

describe("element comparison", () => {
  it("compares NaN payloads unless told not to, and never lets -0 pass for 0", () => {
    const [a, b] = [f32([0x7fc00000, 0]), f32([0xffc00001, 0])];
    expect(firstElementMismatch(float32, a, b, true)).toBe(0);
    expect(firstElementMismatch(float32, a, b, false)).toBe(-1);
    expect(firstElementMismatch(float32, f32([0]), f32([0x80000000]), false)).toBe(0);
    expect(
      firstElementMismatch(float16, Uint16Array.of(0x7e00, 1), Uint16Array.of(0xfe01, 2), false),
    ).toBe(1);
    expect(
      firstElementMismatch(int64, BigInt64Array.of(1n, -1n), BigInt64Array.of(1n, -2n), true),
    ).toBe(1);
  });
});

describe("the op table", () => {
  it("names each op once, and its samples are the same on every call (seeded by the op's name)", () => {
    expect(opTable.size).toBeGreaterThan(20);
    for (const [op, entry] of opTable) {
      expect(entry.op).toBe(op);
      const draw = () =>
        entry
          .samples(new SampleGen(seedOf(op)))
          .map((s) => [s.label, s.inputs.map((i) => [i.layout, ...i.shape, bytesOf(i.values)])]);
      expect(draw()).toEqual(draw());
    }
  });
});
