// The plan: a block of i32 fields in linear memory, written by the JS side once per packed
// weight handle; the field indices are src/abi.ts's P_* (shared with the JS side). Kernels read
// their geometry from memory rather than from arguments so that worker threads, which only see
// a plan pointer, run exactly the same code as the main thread.

/** Plan field `idx` (a P_* index) as an i32. */
// @ts-ignore: decorator
@inline export function pf(plan: usize, idx: i32): i32 {
  return load<i32>(plan + (<usize>idx << 2));
}
/** Plan field `idx` (a P_* index) as a pointer. */
// @ts-ignore: decorator
@inline export function pp(plan: usize, idx: i32): usize {
  return <usize>load<u32>(plan + (<usize>idx << 2));
}
