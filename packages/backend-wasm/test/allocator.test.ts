// The wasm allocator's limits. Issue 12 defect 8: running out of wasm memory threw a RangeError.

import { describe, expect, it } from "vitest";
import { OutOfMemoryError } from "@tsnpu/tensor";
import { Allocator } from "../src/runtime/allocator.js";

const PAGE = 65536;

describe("Allocator", () => {
  it("throws an OutOfMemoryError naming the bytes asked for and the memory's limit", () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 4 });
    const allocator = new Allocator(memory, 0, 4 * PAGE);
    try {
      allocator.alloc(5 * PAGE);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(OutOfMemoryError);
      const oom = e as OutOfMemoryError;
      expect([oom.op, oom.requestedBytes, oom.limitBytes]).toEqual(["wasm", 5 * PAGE, 4 * PAGE]);
      expect(oom.message).toMatch(/wasm: cannot allocate 327680 bytes: the limit is 262144 bytes/);
    }
  });

  it("grows to exactly the limit when the usual 1/8 headroom does not fit", () => {
    const memory = new WebAssembly.Memory({ initial: 16, maximum: 17 });
    const allocator = new Allocator(memory, 0, 17 * PAGE);
    allocator.alloc(16 * PAGE - 64); // fills the initial memory (the first 64 bytes are never handed out)
    // Growing by 1/8 (2 pages) would pass the limit; 1 page is enough and allowed.
    expect(allocator.alloc(PAGE)).toBe(16 * PAGE);
    expect(memory.buffer.byteLength).toBe(17 * PAGE);
    expect(() => allocator.alloc(64)).toThrow(OutOfMemoryError);
  });
});
