// Entry of the kernel module (built twice: shared memory for threads, and plain memory for
// pages that are not cross-origin isolated). Nothing here uses the AssemblyScript heap or
// managed objects: all buffers live in memory the JS side allocates.

export { run, workerLoop, wakeAll, controlBytes } from "./pool";
export { packWeights } from "./pack";
export { convertF32ToF16 } from "./f16";

/**
 * Sets `bytes` at `ptr` to `byte` with memory.fill. The JS side zeroes and fills through this,
 * not TypedArray.fill: on a shared memory V8's fill goes element by element (measured: 130 µs
 * for 401 KB against 4 µs on a plain buffer, more than a tenth of a 2-thread QuantConv2d).
 */
export function fill(ptr: usize, byte: u8, bytes: usize): void {
  memory.fill(ptr, byte, bytes);
}

/** First byte after the module's static data; the JS allocator starts above it. */
export function heapBase(): usize {
  return __heap_base;
}

export { relu, clamp, unary } from "./ops/unary";
export { binary } from "./ops/binary";
export { maxPool2d } from "./ops/max-pool2d";
export { matmul } from "./ops/matmul";
export { avgPool2d } from "./ops/avg-pool2d";
export { reduce } from "./ops/reduce";
export { widenF16 } from "./conv-float";

// Every ABI constant as an exported global: WasmRuntime.create checks them against the JS side's.
export * from "../src/abi";
export { quantize } from "./ops/quantize";
export { equal, floatUnary, pow, prelu, softmax, where } from "./ops/activation";
export { castF16ToF32, castF32ToF16 } from "./ops/cast";
export { padPlanes } from "./ops/cast";
