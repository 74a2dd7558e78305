// Entry of the kernel module (built twice: shared memory for threads, and plain memory for
// pages that are not cross-origin isolated). Nothing here uses the AssemblyScript heap or
// managed objects: all buffers live in memory the JS side allocates.

export { run, workerLoop, wakeAll } from "./pool";
export { packWeights } from "./pack";
export { convertF32ToF16 } from "./f16";

/** First byte after the module's static data; the JS allocator starts above it. */
export function heapBase(): usize {
  return __heap_base;
}
