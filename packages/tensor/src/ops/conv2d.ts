// STUB: replaced by the ops implementation.
import type { Tensor } from "../tensor.js";
export function conv2d(input: Tensor, weight: Tensor, bias?: Tensor | null, options?: unknown): Tensor {
  throw new Error("conv2d: not implemented yet");
}
