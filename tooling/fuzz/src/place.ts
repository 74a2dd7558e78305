// Puts a case's values on a device in a given memory layout, and remembers every tensor made so
// the run can free them at once (wasm memory is invisible to the garbage collector).

import { asStrided, contiguousStrides, tensor, type DType, type Tensor } from "@tsnpu/tensor";
import type { Layout } from "./cases.js";

type Values = Int8Array | Int32Array | Float32Array | BigInt64Array;

/** Every tensor a run made; `dispose()` frees them (views share their base's storage). */
export class Scope {
  readonly #tensors: Tensor[] = [];

  keep<T extends Tensor>(t: T): T {
    this.#tensors.push(t);
    return t;
  }

  dispose(): void {
    for (const t of this.#tensors) t.dispose();
    this.#tensors.length = 0;
  }
}

/** An integer view of the same bytes: copying float32 through it keeps signalling NaNs signalling. */
function bitsOf(values: Values): Int8Array | Int32Array | BigInt64Array {
  return values instanceof Float32Array
    ? new Int32Array(values.buffer, values.byteOffset, values.length)
    : values;
}

/** The values at the odd positions of a buffer twice as long (plus one). */
function interleaved(values: Values): Values {
  const ctor = values.constructor as new (length: number) => Values;
  const backing = new ctor(2 * values.length + 1);
  const src = bitsOf(values);
  const dst = bitsOf(backing);
  for (let i = 0; i < src.length; i++) dst[1 + 2 * i] = src[i]!;
  return backing;
}

/**
 * `values` (row-major) as a tensor of `shape` on `device`:
 * - contiguous: as is;
 * - permuted: stored with the dims reversed, viewed back through permute (rank >= 2);
 * - strided: every other element of a larger buffer, at a non-zero storage offset.
 */
export function place(
  scope: Scope,
  values: Values,
  shape: readonly number[],
  dtype: DType,
  device: string,
  layout: Layout,
): Tensor {
  if (layout === "strided") {
    const backing = scope.keep(tensor(interleaved(values), { dtype }).to(device));
    return scope.keep(
      asStrided(
        backing,
        shape,
        contiguousStrides(shape).map((s) => 2 * s),
        1,
      ),
    );
  }
  const base = scope.keep(tensor(values, { dtype }).reshape(shape).to(device));
  if (layout === "contiguous" || shape.length < 2) return base;
  const reversed = shape.map((_, i) => shape.length - 1 - i);
  return scope.keep(scope.keep(base.permute(reversed).contiguous()).permute(reversed));
}
