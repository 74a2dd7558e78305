// A strided copy of up to 4 dims (the JS side merges the rest away: src/kernels/copy.ts),
// as copy (contiguous()) and cat need on wasm: element bytes 1, 2, 4 or 8 moved as integers, so
// every bit (a signalling NaN too) is kept. Rows (the first three dims) split into chunks for the
// thread pool (ELT_COPY of assembly/ops/eltwise.ts); a row whose elements are adjacent on both
// sides is one memory.copy.

/** Moves `n` elements of `bytes` bytes from `src` (stride `ss` bytes) to `dst` (stride `ds` bytes). */
// @ts-ignore: decorator
@inline function copyRun(bytes: usize, src: usize, ss: usize, dst: usize, ds: usize, n: i32): void {
  if (ss == bytes && ds == bytes) {
    memory.copy(dst, src, <usize>n * bytes);
  } else if (bytes == 2) {
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
