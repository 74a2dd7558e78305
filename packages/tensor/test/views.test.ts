// View ops share storage and only change shape, strides and offset.

import { describe, expect, it } from "vitest";
import { ArgumentError, arange, asStrided, float32, tensor, zeros } from "../src/index.js";

describe("views", () => {
  const t = arange(6).reshape(2, 3);

  it("reshape / view infer one -1 and share storage", () => {
    expect(t.shape).toEqual([2, 3]);
    expect(t.view(-1, 2).tolist()).toEqual([
      [0n, 1n],
      [2n, 3n],
      [4n, 5n],
    ]);
    expect(t.view(6).storage).toBe(t.storage);
    expect(() => t.view(4, 2)).toThrow(ArgumentError);
    expect(() => t.reshape(-1, -1)).toThrow(ArgumentError);
  });

  it("transpose and permute swap strides without copying", () => {
    const tt = t.transpose(0, 1);
    expect(tt.shape).toEqual([3, 2]);
    expect(tt.strides).toEqual([1, 3]);
    expect(tt.isContiguous()).toBe(false);
    expect(tt.tolist()).toEqual([
      [0n, 3n],
      [1n, 4n],
      [2n, 5n],
    ]);
    expect(arange(24).reshape(2, 3, 4).permute(2, 0, 1).shape).toEqual([4, 2, 3]);
    expect(() => t.permute(0, 0)).toThrow(ArgumentError);
  });

  it("view refuses non-contiguous input; reshape copies", () => {
    const tt = t.transpose(0, 1);
    expect(() => tt.view(6)).toThrow(/contiguous/);
    const r = tt.reshape(6);
    expect(r.tolist()).toEqual([0n, 3n, 1n, 4n, 2n, 5n]);
    expect(r.storage).not.toBe(t.storage);
    expect(tt.contiguous().isContiguous()).toBe(true);
  });

  it("narrow, select, squeeze, unsqueeze, flatten", () => {
    expect(t.narrow(1, 1, 2).tolist()).toEqual([
      [1n, 2n],
      [4n, 5n],
    ]);
    expect(t.narrow(1, 1, 2).offset).toBe(1);
    expect(t.select(0, -1).tolist()).toEqual([3n, 4n, 5n]);
    expect(t.select(1, 0).tolist()).toEqual([0n, 3n]);
    expect(t.unsqueeze(0).shape).toEqual([1, 2, 3]);
    expect(t.unsqueeze(-1).shape).toEqual([2, 3, 1]);
    expect(t.unsqueeze(0).squeeze().shape).toEqual([2, 3]);
    expect(t.unsqueeze(1).squeeze(1).shape).toEqual([2, 3]);
    expect(arange(24).reshape(2, 3, 4).flatten(1).shape).toEqual([2, 12]);
    expect(tensor(5).flatten().shape).toEqual([1]);
    expect(() => t.select(0, 2)).toThrow(ArgumentError);
    expect(() => t.narrow(0, 1, 2)).toThrow(ArgumentError);
  });

  it("a view of a view reads the right elements", () => {
    const v = arange(24).reshape(4, 6).transpose(0, 1).narrow(0, 2, 3).select(1, 1);
    expect(v.tolist()).toEqual([8n, 9n, 10n]);
    expect(Array.from(v.toTypedArray() as BigInt64Array)).toEqual([8n, 9n, 10n]);
  });

  it("size, dim, numel, item", () => {
    expect(t.size()).toEqual([2, 3]);
    expect(t.size(-1)).toBe(3);
    expect(t.dim()).toBe(2);
    expect(t.numel()).toBe(6);
    expect(t.select(0, 1).select(0, 2).item()).toBe(5n);
    expect(() => t.item()).toThrow(ArgumentError);
    expect(() => t.size(2)).toThrow(ArgumentError);
  });

  // Issue 12 defect 2: a view reaching past its storage read another tensor's wasm memory.
  it("asStrided refuses views outside the storage and negative strides, naming the argument", () => {
    const small = zeros([4]);
    const err = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e;
      }
      return null;
    };
    const outside = err(() => asStrided(small, [1, 1, 64, 64], [4096, 4096, 64, 1]));
    expect(outside).toBeInstanceOf(ArgumentError);
    expect((outside as ArgumentError).argument).toBe("size");
    expect((outside as ArgumentError).message).toMatch(/storage of 4 elements/);
    expect((err(() => asStrided(small, [2], [-1], 3)) as ArgumentError).argument).toBe("strides");
    expect((err(() => asStrided(small, [2], [1], 3)) as ArgumentError).argument).toBe("size");
    expect((err(() => asStrided(small, [2], [1], -1)) as ArgumentError).argument).toBe("offset");
    expect(
      (err(() => asStrided(small.narrow(0, 2, 2), [1], [1], -3)) as ArgumentError).argument,
    ).toBe("offset");
    expect((err(() => asStrided(small, [2, 2], [1])) as ArgumentError).argument).toBe("strides");
    expect((err(() => asStrided(small, [-2], [1])) as ArgumentError).argument).toBe("size");
    // Inside the storage: the last element, a broadcast (stride 0) and an empty view are fine.
    expect(asStrided(arange(4), [2], [1], 2).tolist()).toEqual([2n, 3n]);
    expect(asStrided(arange(4), [3, 2], [0, 3]).tolist()).toEqual([
      [0n, 3n],
      [0n, 3n],
      [0n, 3n],
    ]);
    expect(asStrided(small, [0, 9], [100, 100], 4).shape).toEqual([0, 9]);
  });
});

describe("reading a strided float view", () => {
  it("keeps every bit pattern, signalling NaNs included (copied as integers, not as JS numbers)", () => {
    const bits = new Uint32Array([
      0x7f800001, 0x3f800000, 0xff801fff, 0x7fc00001, 0x00000001, 0x80000000,
    ]);
    const t = zeros([6], { dtype: float32 });
    new Uint32Array((t.storage.data as Float32Array).buffer).set(bits);
    const everyOther = asStrided(t, [3], [2], 0);
    const got = everyOther.toTypedArray() as Float32Array;
    expect([...new Uint32Array(got.buffer)]).toEqual([bits[0], bits[2], bits[4]]);
    expect([
      ...new Uint32Array((everyOther.contiguous().storage.data as Float32Array).buffer),
    ]).toEqual([bits[0], bits[2], bits[4]]);
  });
});
