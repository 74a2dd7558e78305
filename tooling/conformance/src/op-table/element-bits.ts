// Reading and comparing op outputs element by element, bit for bit, for any dtype. NaN payloads
// are compared too unless the op's entry says why not.

import {
  float16,
  float32,
  float64,
  forEachStrided,
  type DType,
  type Tensor,
  type TypedArray,
} from "@tsnpu/tensor";

/** Element-sized unsigned integers over a typed array's bytes: copies through them keep NaN payloads (and signalling NaNs) intact. */
export type RawBits = { [index: number]: number | bigint };
export function rawBits(a: TypedArray): RawBits {
  const { buffer, byteOffset, length } = a;
  switch (a.BYTES_PER_ELEMENT) {
    case 1:
      return new Uint8Array(buffer, byteOffset, length);
    case 2:
      return new Uint16Array(buffer, byteOffset, length);
    case 4:
      return new Uint32Array(buffer, byteOffset, length);
    default:
      return new BigUint64Array(buffer, byteOffset, length);
  }
}

/** A tensor's elements in row-major order, bit for bit (Tensor.toTypedArray reads strided elements as JS numbers, which may quiet a signalling NaN). */
export function elementsOf(t: Tensor): TypedArray {
  const out = t.dtype.allocate(t.numel());
  const [to, from] = [rawBits(out), rawBits(t.storage.data)];
  forEachStrided(t.shape, t.strides, t.offset, (s, k) => {
    to[k] = from[s]!;
  });
  return out;
}

/** Whether the `itemSize` bytes at element `k` of `bytes` encode a NaN of float dtype `dtype`. */
function isNaNAt(dtype: DType, bytes: Uint8Array, k: number): boolean {
  const view = new DataView(bytes.buffer, bytes.byteOffset + k * dtype.itemSize, dtype.itemSize);
  if (dtype === float16) {
    const h = view.getUint16(0, true);
    return (h & 0x7c00) === 0x7c00 && (h & 0x3ff) !== 0;
  }
  if (dtype === float32) return Number.isNaN(view.getFloat32(0, true));
  if (dtype === float64) return Number.isNaN(view.getFloat64(0, true));
  return false;
}

const bytesOf = (a: TypedArray) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** The first element where `got` and `want` (both of `dtype`) differ, or -1. */
export function firstElementMismatch(
  dtype: DType,
  got: TypedArray,
  want: TypedArray,
  compareNaNPayloads: boolean,
): number {
  if (got.length !== want.length) return Math.min(got.length, want.length);
  const [g, w] = [bytesOf(got), bytesOf(want)];
  const size = dtype.itemSize;
  for (let k = 0; k < got.length; k++) {
    let same = true;
    for (let b = k * size; b < (k + 1) * size && same; b++) same = g[b] === w[b];
    if (!same && (compareNaNPayloads || !(isNaNAt(dtype, g, k) && isNaNAt(dtype, w, k)))) return k;
  }
  return -1;
}

/** Element `k` as hex bytes (little-endian order as stored), for failure messages. */
export function elementHex(dtype: DType, a: TypedArray, k: number): string {
  const b = bytesOf(a).subarray(k * dtype.itemSize, (k + 1) * dtype.itemSize);
  return `0x${[...b]
    .reverse()
    .map((x) => x.toString(16).padStart(2, "0"))
    .join("")}`;
}
