// Graph tracing: while a trace is active, ops whose inputs include a symbolic tensor (shape,
// dtype and device but no storage) are recorded as nodes and return symbolic outputs. Ops on
// concrete tensors (weights, scales) still run at once, so constant work such as converting a
// float32 scale with npu_trans_quant_param is folded at trace time.

import type { Device } from "../device.js";
import { GraphTraceError } from "../errors.js";
import { Tensor } from "../tensor.js";
import type { OpDef, TensorSpec } from "./op.js";

export interface GraphNode {
  readonly op: OpDef<unknown>;
  readonly inputs: readonly (Tensor | null)[];
  readonly attrs: unknown;
  readonly outputs: readonly Tensor[];
}

export class Trace {
  readonly nodes: GraphNode[] = [];
}

let active: Trace | null = null;

/** Runs `fn` with `trace` recording every op on symbolic tensors. */
export function withTrace<T>(trace: Trace, fn: () => T): T {
  const previous = active;
  active = trace;
  try {
    return fn();
  } finally {
    active = previous;
  }
}

export function recordNode<A>(op: OpDef<A>, inputs: readonly (Tensor | null)[], attrs: A, outputs: readonly TensorSpec[], device: Device): Tensor[] {
  if (!active) throw new GraphTraceError(`op "${op.name}" received a symbolic tensor outside graph tracing`);
  const results = outputs.map((o) => Tensor.symbolic(o.shape, o.dtype, device));
  active.nodes.push({ op: op as OpDef<unknown>, inputs, attrs, outputs: results });
  return results;
}
