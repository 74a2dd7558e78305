// STUB: replaced by the ops implementation.
import type { Tensor } from "../tensor.js";
export function add(a: Tensor, b: Tensor | number, alpha?: number): Tensor {
  throw new Error("add: not implemented yet");
}
export function sub(a: Tensor, b: Tensor | number, alpha?: number): Tensor {
  throw new Error("sub: not implemented yet");
}
export function mul(a: Tensor, b: Tensor | number): Tensor {
  throw new Error("mul: not implemented yet");
}
export function div(a: Tensor, b: Tensor | number): Tensor {
  throw new Error("div: not implemented yet");
}
export function neg(a: Tensor): Tensor {
  throw new Error("neg: not implemented yet");
}
export function abs(a: Tensor): Tensor {
  throw new Error("abs: not implemented yet");
}
export function relu(a: Tensor): Tensor {
  throw new Error("relu: not implemented yet");
}
export function clamp(a: Tensor, min?: number | null, max?: number | null): Tensor {
  throw new Error("clamp: not implemented yet");
}
