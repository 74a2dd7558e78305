// STUB: replaced by the ops implementation.
import type { Tensor } from "../tensor.js";
export function maxPool2d(input: Tensor, kernelSize: number | [number, number], options?: unknown): Tensor {
  throw new Error("maxPool2d: not implemented yet");
}
export function avgPool2d(input: Tensor, kernelSize: number | [number, number], options?: unknown): Tensor {
  throw new Error("avgPool2d: not implemented yet");
}
