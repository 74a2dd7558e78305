// Scratch buffers shared by every call. The kernel is synchronous, so one set suffices; reusing
// it saves allocating (and page-faulting) megabytes of im2col panels on every call, which on
// small shapes costs as much as the arithmetic.

let f64 = new Float64Array(0);
let i32 = new Int32Array(0);
let f32 = new Float32Array(0);

/** Float64 scratch of at least `length` entries; contents are unspecified. */
export function float64Scratch(length: number): Float64Array {
  if (f64.length < length) f64 = new Float64Array(length);
  return f64;
}

/** Int32 scratch of at least `length` entries; contents are unspecified. */
export function int32Scratch(length: number): Int32Array {
  if (i32.length < length) i32 = new Int32Array(length);
  return i32;
}

/** Float32 scratch of at least `length` entries; contents are unspecified. */
export function float32Scratch(length: number): Float32Array {
  if (f32.length < length) f32 = new Float32Array(length);
  return f32;
}
