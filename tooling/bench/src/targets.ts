// The bars the wasm QuantConv2d is held to (set by the project's wasm issues); the wasm table
// prints each as ok or MISSED.

export const WASM_TARGETS = {
  /** onnxruntime-web / ours on 1 thread, shapes A-E (ratio of median µs per call). */
  ortOverOursOneThread: 1.3,
  /** Ours 1 thread / 2 threads, side by side in the same processes, shapes A and C. */
  twoThreadScaling: 1.8,
  /** µs per call of the tiny shape F, on 1 and on 2 threads. */
  tinyCallUs: 30,
} as const;
