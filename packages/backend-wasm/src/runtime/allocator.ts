// A first-fit allocator for the runtime's linear memory, kept on the JS side (only the
// calling thread allocates; kernels and workers just use the pointers). Blocks are 64-byte
// aligned so SIMD rows start on cache lines. Freed neighbours coalesce; when nothing fits,
// the memory grows and the new pages join the free list. Steady use at a fixed shape
// therefore reuses the same blocks and the memory stops growing.

import { OutOfMemoryError } from "@tsnpu/tensor";
import type { WasmMemory } from "./wasm-types.js";

const ALIGN = 64;
const PAGE = 65536;

export class Allocator {
  /** Free blocks sorted by address: parallel arrays of start and size. */
  private readonly freeStart: number[] = [];
  private readonly freeSize: number[] = [];
  private readonly used = new Map<number, number>();

  constructor(
    private readonly memory: WasmMemory,
    base: number,
    private readonly maxBytes: number,
  ) {
    const start = Math.ceil(Math.max(base, ALIGN) / ALIGN) * ALIGN;
    const end = memory.buffer.byteLength;
    if (end > start) this.release(start, end - start);
  }

  alloc(bytes: number): number {
    const size = Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
    for (let i = 0; i < this.freeStart.length; i++) {
      if (this.freeSize[i]! >= size) return this.take(i, size);
    }
    // Grow: enough pages for `size` on top of a trailing free block, at least 1/8 more memory.
    const end = this.memory.buffer.byteLength;
    const last = this.freeStart.length - 1;
    const tailFree =
      last >= 0 && this.freeStart[last]! + this.freeSize[last]! === end ? this.freeSize[last]! : 0;
    // Near the limit, grow by just what is needed rather than refusing the 1/8 headroom.
    const minPages = Math.ceil((size - tailFree) / PAGE);
    const pages = Math.min(
      Math.max(minPages, Math.ceil((end >>> 3) / PAGE)),
      Math.floor((this.maxBytes - end) / PAGE),
    );
    if (pages < minPages) throw this.outOfMemory(bytes, "the wasm memory's maximum size");
    try {
      this.memory.grow(pages);
    } catch (e) {
      if (e instanceof RangeError)
        throw this.outOfMemory(
          bytes,
          `the engine refused to grow the wasm memory to ${end + pages * PAGE} bytes`,
        );
      throw e;
    }
    this.release(end, pages * PAGE);
    return this.alloc(bytes);
  }

  private outOfMemory(bytes: number, limit: string): OutOfMemoryError {
    return new OutOfMemoryError(
      "wasm",
      bytes,
      this.maxBytes,
      `${limit}; ${this.allocatedBytes} bytes are in use`,
    );
  }

  free(ptr: number): void {
    const size = this.used.get(ptr);
    if (size === undefined) throw new Error(`@tsnpu/backend-wasm: free of unknown pointer ${ptr}`);
    this.used.delete(ptr);
    this.release(ptr, size);
  }

  /** The size of the block at `ptr` (0 if it is not allocated). */
  sizeOf(ptr: number): number {
    return this.used.get(ptr) ?? 0;
  }

  /** Bytes currently handed out. */
  get allocatedBytes(): number {
    let s = 0;
    for (const v of this.used.values()) s += v;
    return s;
  }

  private take(i: number, size: number): number {
    const ptr = this.freeStart[i]!;
    if (this.freeSize[i] === size) {
      this.freeStart.splice(i, 1);
      this.freeSize.splice(i, 1);
    } else {
      this.freeStart[i] = ptr + size;
      this.freeSize[i] = this.freeSize[i]! - size;
    }
    this.used.set(ptr, size);
    return ptr;
  }

  private release(ptr: number, size: number): void {
    let i = 0;
    while (i < this.freeStart.length && this.freeStart[i]! < ptr) i++;
    this.freeStart.splice(i, 0, ptr);
    this.freeSize.splice(i, 0, size);
    // Merge with the next, then with the previous block.
    if (i + 1 < this.freeStart.length && ptr + size === this.freeStart[i + 1]) {
      this.freeSize[i] = this.freeSize[i]! + this.freeSize[i + 1]!;
      this.freeStart.splice(i + 1, 1);
      this.freeSize.splice(i + 1, 1);
    }
    if (i > 0 && this.freeStart[i - 1]! + this.freeSize[i - 1]! === ptr) {
      this.freeSize[i - 1] = this.freeSize[i - 1]! + this.freeSize[i]!;
      this.freeStart.splice(i, 1);
      this.freeSize.splice(i, 1);
    }
  }
}
