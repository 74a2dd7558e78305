// The bars the wasm QuantConv2d is held to (set by the project's wasm issues), with the shapes
// each applies to; the wasm table prints each as ok or MISSED.

export const WASM_TARGETS = {
  /** onnxruntime-web / ours on 1 thread (ratio of median µs per call), at least. */
  ortOverOursOneThread: { min: 1.3, shapes: ["A", "B", "C", "D", "E"] },
  /** Ours 1 thread / 2 threads, side by side in the same processes, at least. */
  twoThreadScaling: { min: 1.8, shapes: ["A", "C"] },
  /** µs per call on 1 and on 2 threads, below. */
  tinyCallUs: { max: 30, shapes: ["F"] },
} as const satisfies Record<
  string,
  { readonly min?: number; readonly max?: number; readonly shapes: readonly string[] }
>;
