// STUB: replaced by the ops implementation.
import type { Tensor } from "../tensor.js";
export function eq(a: Tensor, b: Tensor | number): Tensor {
  throw new Error("eq: not implemented yet");
}
export function where(c: Tensor, a: Tensor | number, b: Tensor | number): Tensor {
  throw new Error("where: not implemented yet");
}
export function equal(a: Tensor, b: Tensor): boolean {
  throw new Error("equal: not implemented yet");
}
export function allclose(a: Tensor, b: Tensor, rtol?: number, atol?: number): boolean {
  throw new Error("allclose: not implemented yet");
}
