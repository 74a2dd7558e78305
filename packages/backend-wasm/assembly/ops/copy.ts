// A strided copy of up to 4 dims (the JS side merges the rest away: src/kernels/copy.ts),
// as copy (contiguous()) and cat need on wasm: element bytes 1, 2, 4 or 8 moved as integers, so
// every bit (a signalling NaN too) is kept. Rows (the first three dims) split into chunks for the
// thread pool (ELT_COPY of assembly/ops/eltwise.ts); a row whose elements are adjacent on both
// sides is one memory.copy.

/**
 * One vector of the elements 3 apart from p (an interleaved 3-channel row's channel): 48 bytes
 * read, the elements picked by shuffles.
 */
// @ts-ignore: decorator
@inline function every3(bytes: usize, p: usize): v128 {
  const v0 = v128.load(p), v1 = v128.load(p, 16), v2 = v128.load(p, 32);
  if (bytes == 1) {
    const t = i8x16.shuffle(v0, v1, 0, 3, 6, 9, 12, 15, 18, 21, 24, 27, 30, 0, 0, 0, 0, 0);
    return i8x16.shuffle(t, v2, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 17, 20, 23, 26, 29);
  }
  if (bytes == 2) {
    const t = i8x16.shuffle(v0, v1, 0, 1, 6, 7, 12, 13, 18, 19, 24, 25, 30, 31, 0, 0, 0, 0);
    return i8x16.shuffle(t, v2, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 20, 21, 26, 27);
  }
  return i32x4.shuffle(i32x4.shuffle(v0, v1, 0, 3, 6, 0), v2, 0, 1, 2, 5);
}

/** One vector of the elements 4 apart from p (64 bytes read). */
// @ts-ignore: decorator
@inline function every4(bytes: usize, p: usize): v128 {
  const v0 = v128.load(p), v1 = v128.load(p, 16), v2 = v128.load(p, 32), v3 = v128.load(p, 48);
  if (bytes == 1) {
    const a = i8x16.shuffle(v0, v1, 0, 4, 8, 12, 16, 20, 24, 28, 0, 0, 0, 0, 0, 0, 0, 0);
    const b = i8x16.shuffle(v2, v3, 0, 4, 8, 12, 16, 20, 24, 28, 0, 0, 0, 0, 0, 0, 0, 0);
    return i64x2.shuffle(a, b, 0, 2);
  }
  if (bytes == 2) {
    const a = i8x16.shuffle(v0, v1, 0, 1, 8, 9, 16, 17, 24, 25, 0, 0, 0, 0, 0, 0, 0, 0);
    const b = i8x16.shuffle(v2, v3, 0, 1, 8, 9, 16, 17, 24, 25, 0, 0, 0, 0, 0, 0, 0, 0);
    return i64x2.shuffle(a, b, 0, 2);
  }
  return i64x2.shuffle(i32x4.shuffle(v0, v1, 0, 4, 0, 0), i32x4.shuffle(v2, v3, 0, 4, 0, 0), 0, 2);
}

/**
 * Elements 3 or 4 (`k`) apart into adjacent ones (a channels-last image's channel into its
 * plane), a vector at a time; returns how many were moved. A vector's loads reach up to the
 * next element after its last, so the last element is left to the caller's loop.
 */
// @ts-ignore: decorator
@inline function gatherRun(bytes: usize, k: usize, src: usize, dst: usize, n: i32): i32 {
  const m = 16 / <i32>bytes;
  const step = <usize>m * k * bytes;
  let i = 0;
  if (k == 3) for (; i + m < n; i += m, src += step, dst += 16) v128.store(dst, every3(bytes, src));
  else for (; i + m < n; i += m, src += step, dst += 16) v128.store(dst, every4(bytes, src));
  return i;
}

/** Moves `n` elements of `bytes` bytes from `src` (stride `ss` bytes) to `dst` (stride `ds` bytes). */
// @ts-ignore: decorator
@inline function copyRun(bytes: usize, src: usize, ss: usize, dst: usize, ds: usize, n: i32): void {
  if (ss == bytes && ds == bytes) {
    memory.copy(dst, src, <usize>n * bytes);
    return;
  }
  if (ds == bytes && bytes <= 4 && (ss == 3 * bytes || ss == 4 * bytes)) {
    const done = gatherRun(bytes, ss / bytes, src, dst, n);
    src += <usize>done * ss;
    dst += <usize>done * ds;
    n -= done;
  }
  if (bytes == 2) {
    for (let i = 0; i < n; i++, src += ss, dst += ds) store<u16>(dst, load<u16>(src));
  } else if (bytes == 4) {
    for (let i = 0; i < n; i++, src += ss, dst += ds) store<u32>(dst, load<u32>(src));
  } else if (bytes == 1) {
    for (let i = 0; i < n; i++, src += ss, dst += ds) store<u8>(dst, load<u8>(src));
  } else {
    for (let i = 0; i < n; i++, src += ss, dst += ds) store<u64>(dst, load<u64>(src));
  }
}

/**
 * Rows [rowStart, rowEnd) of the copy of an (n0, n1, n2, n3) block: row r is (r / (n1 n2),
 * r / n2 % n1, r % n2), its n3 elements each. Strides are in elements, per side.
 */
export function copyRows(
  bytes: i32, src: usize, dst: usize, n1: i32, n2: i32, n3: i32,
  s0: i32, s1: i32, s2: i32, s3: i32, d0: i32, d1: i32, d2: i32, d3: i32,
  rowStart: i32, rowEnd: i32,
): void {
  const b = <usize>bytes;
  for (let r = rowStart; r < rowEnd; r++) {
    const i2 = r % n2, q = r / n2;
    const i1 = q % n1, i0 = q / n1;
    const from = src + <usize>(i0 * s0 + i1 * s1 + i2 * s2) * b;
    const to = dst + <usize>(i0 * d0 + i1 * d1 + i2 * d2) * b;
    copyRun(b, from, <usize>s3 * b, to, <usize>d3 * b, n3);
  }
}
