// What the wasm copy and cat kernels share: an element-by-element copy between two strided
// layouts of one shape, in wasm (assembly/ops/copy.ts through the pool) once the dims that are
// contiguous on both sides are merged and at most 4 remain (every permute and slice of a 4-d
// tensor); null otherwise, and the caller takes the device-agnostic kernel.

import type { Tensor } from "@tsnpu/tensor";
import { addressOf } from "./shared.js";
import { poolCopy } from "./pool-calls.js";

/** A copy reduced to 4 dims: sizes and the source's and destination's element strides. */
export interface Block4 {
  readonly n: [number, number, number, number];
  readonly from: number[];
  readonly to: number[];
}

/** `shape` with strides `from` -> `to` as at most 4 dims (size-1 dims dropped, contiguous runs merged), or null. */
export function block4(
  shape: readonly number[],
  from: readonly number[],
  to: readonly number[],
): Block4 | null {
  const n: number[] = [];
  const f: number[] = [];
  const t: number[] = [];
  for (let d = shape.length - 1; d >= 0; d--) {
    const size = shape[d]!;
    if (size === 1) continue;
    const k = n.length - 1;
    if (k >= 0 && from[d] === f[k]! * n[k]! && to[d] === t[k]! * n[k]!) {
      n[k] = n[k]! * size; // this dim continues the one inside it on both sides
      continue;
    }
    n.push(size);
    f.push(from[d]!);
    t.push(to[d]!);
  }
  if (n.length > 4) return null;
  while (n.length < 4) {
    n.push(1);
    f.push(0);
    t.push(0);
  }
  return {
    n: n.reverse() as Block4["n"],
    from: f.reverse(),
    to: t.reverse(),
  };
}

/** Copies `src`'s elements into `dst` at `dstPtr` laid out by `block` (from block4 of src's strides). */
export function copyBlock(src: Tensor, dstPtr: number, block: Block4): void {
  poolCopy(src.dtype.itemSize, addressOf(src), dstPtr, block.n, block.from, block.to);
}
