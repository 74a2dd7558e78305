// wasm kernels of copy (contiguous(), clone(); schema: tensor/src/ops/copy.ts) and cat
// (tensor/src/ops/cat.ts): element-by-element copies between two strided layouts of one shape,
// in wasm (assembly/ops/copy.ts, on the pool as ELT_COPY) once the dims that are contiguous on
// both sides are merged and at most 4 remain (every permute and slice of a 4-d tensor); with
// more, the device-agnostic kernels. Measured: the transposed head outputs of BlazeFace front
// 128 spent more in those kernels' JS loops over the host view than in their own kernels.

import {
  ANY_BACKEND,
  Tensor,
  catOp,
  contiguousStrides,
  copyOp,
  findKernel,
  registerKernel,
} from "@tsnpu/tensor";
import { addressOf } from "./shared.js";
import { poolCopy } from "./pool-calls.js";

/** A copy reduced to 4 dims: sizes and the source's and destination's element strides. */
interface Block4 {
  readonly n: [number, number, number, number];
  readonly from: number[];
  readonly to: number[];
}

/** `shape` with strides `from` -> `to` as at most 4 dims (size-1 dims dropped, contiguous runs merged), or null. */
function block4(
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

/** Elements of a tile of interleavedTiles' (its source stays in the L1 cache across channels). */
const TILE = 2048;

/**
 * `block` reordered when its rows are the channels of a channels-last layout (row dim 2 adjacent
 * in the source, the row's elements 3 or 4 apart: an NHWC image's NCHW copy): the rows cut into
 * tiles of pixels, each tile's channels one after the other, so the source is read from memory
 * once instead of once per channel. Unchanged when no tile size divides the row or a dim is
 * missing.
 */
function interleavedTiles(block: Block4): Block4 {
  const { n, from, to } = block;
  const [k, p] = [from[3]!, n[3]];
  if (n[0] !== 1 || from[2] !== 1 || to[3] !== 1 || (k !== 3 && k !== 4) || p <= TILE) return block;
  let tile = TILE;
  while (p % tile !== 0) tile--;
  if (tile < 64) return block;
  return {
    n: [p / tile, n[1], n[2], tile],
    from: [k * tile, from[1]!, 1, k],
    to: [tile, to[1]!, to[2]!, 1],
  };
}

/** Copies `src`'s elements into `dst` at `dstPtr` laid out by `block` (from block4 of src's strides). */
function copyBlock(src: Tensor, dstPtr: number, block: Block4): void {
  const b = interleavedTiles(block);
  poolCopy(src.dtype.itemSize, addressOf(src), dstPtr, b.n, b.from, b.to);
}

const anyBackendCopy = findKernel(copyOp, ANY_BACKEND)!;
const anyBackendCat = findKernel(catOp, ANY_BACKEND)!;

registerKernel(copyOp, "wasm", {
  run: (inputs, attrs, outputs, derived) => {
    const { input } = inputs;
    const block = block4(input.shape, input.strides, contiguousStrides(input.shape));
    if (!block || input.numel() === 0) return anyBackendCopy.run(inputs, attrs, outputs, derived);
    const out = Tensor.forOutput(input.shape, input.dtype, input.device);
    copyBlock(input, addressOf(out), block);
    return [out];
  },
});

// cat: each input copied into its slab of the output (rows of the input into rows of the output).
registerKernel(catOp, "wasm", {
  run: (inputs, attrs, outputs, dim) => {
    const { tensors } = inputs;
    const [spec] = outputs;
    const to = contiguousStrides(spec.shape);
    const blocks: (Block4 | null)[] = [];
    for (const t of tensors) {
      if (t.numel() === 0) blocks.push(null);
      else {
        const b = block4(t.shape, t.strides, to);
        if (!b) return anyBackendCat.run(inputs, attrs, outputs, dim);
        blocks.push(b);
      }
    }
    const out = Tensor.forOutput(spec.shape, spec.dtype, tensors[0]!.device);
    const base = addressOf(out);
    const slab = to[dim]! * spec.dtype.itemSize;
    // Each input's part of the result is one run of memory: a compiled graph may have computed
    // an input there already (tensor's dispatch/replay.ts, catSlabs).
    const runs = spec.shape.slice(0, dim).every((d) => d === 1);
    let at = 0;
    tensors.forEach((t, i) => {
      const b = blocks[i];
      const dst = base + at * slab;
      if (b && !(runs && t.isContiguous() && addressOf(t) === dst)) copyBlock(t, dst, b);
      at += t.shape[dim]!;
    });
    return [out];
  },
});
