// STUB: replaced by the ops implementation.
import type { Tensor } from "../tensor.js";
export function sum(a: Tensor, dim?: number | readonly number[], keepdim?: boolean): Tensor {
  throw new Error("sum: not implemented yet");
}
export function mean(a: Tensor, dim?: number | readonly number[], keepdim?: boolean): Tensor {
  throw new Error("mean: not implemented yet");
}
export function amax(a: Tensor, dim?: number | readonly number[], keepdim?: boolean): Tensor {
  throw new Error("amax: not implemented yet");
}
export function amin(a: Tensor, dim?: number | readonly number[], keepdim?: boolean): Tensor {
  throw new Error("amin: not implemented yet");
}
export function argmax(a: Tensor, dim?: number, keepdim?: boolean): Tensor {
  throw new Error("argmax: not implemented yet");
}
