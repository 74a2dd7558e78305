// STUB: replaced by the printing implementation.
import type { Tensor } from "./tensor.js";
export function formatTensor(t: Tensor): string {
  return `tensor(shape=[${t.shape.join(", ")}], dtype=${t.dtype})`;
}
