// Graph tracing: while a trace is active, ops whose inputs include a symbolic tensor (shape,
// dtype and device but no storage) are recorded as nodes and return symbolic outputs. Ops on
// concrete tensors (weights, scales) still run at once, so constant work such as converting a
// float32 scale with npu_trans_quant_param is folded at trace time.

import type { Device } from "../device.js";
import { GraphTraceError } from "../errors.js";
import { Tensor } from "../tensor.js";
import type { AnyOpDef, OpDef, OpInputs, OutputSpecs } from "./op.js";

/** One recorded op call: its inputs by name (symbolic or constant), attributes, meta's derived value and symbolic outputs. */
export interface GraphNode<
  N extends readonly string[] = readonly string[],
  A = unknown,
  D = unknown,
> {
  readonly op: OpDef<N, A, D>;
  readonly inputs: OpInputs<N>;
  readonly attrs: A;
  readonly derived: D;
  readonly outputs: readonly [Tensor, ...Tensor[]];
  /** The layer that made the call (withLayer: a module path, an ONNX node name), or null. */
  readonly layer: string | null;
}

/** Whether `node` records a call of `op`; narrows its inputs, attributes and derived value. */
export function isNodeOf<const N extends readonly string[], A, D>(
  op: OpDef<N, A, D>,
  node: GraphNode,
): node is GraphNode<N, A, D> {
  return node.op === (op as unknown as AnyOpDef);
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

export function recordNode<const N extends readonly string[], A, D>(
  op: OpDef<N, A, D>,
  inputs: OpInputs<N>,
  attrs: A,
  outputs: OutputSpecs,
  derived: D,
  device: Device,
): Tensor[] {
  if (!active)
    throw new GraphTraceError(`op "${op.name}" received a symbolic tensor outside graph tracing`);
  const results = outputs.map((o) =>
    o.strides
      ? new Tensor(null, o.shape, o.strides, o.offset ?? 0, o.dtype, device)
      : Tensor.symbolic(o.shape, o.dtype, device),
  ) as [Tensor, ...Tensor[]];
  const node: GraphNode<N, A, D> = {
    op,
    inputs,
    attrs,
    derived,
    outputs: results,
    layer: currentLayer(),
  };
  active.nodes.push(node as unknown as GraphNode);
  return results;
}

const layers: string[] = [];

/**
 * Runs `fn` as layer `name` (a module path, an ONNX node name): graph nodes recorded and
 * profiles taken inside it carry the innermost layer's name.
 */
export function withLayer<T>(name: string, fn: () => T): T {
  layers.push(name);
  try {
    return fn();
  } finally {
    layers.pop();
  }
}

/** The innermost layer being run (withLayer), or null. */
export function currentLayer(): string | null {
  return layers.length > 0 ? layers[layers.length - 1]! : null;
}

/** What withModulePaths needs of a module tree (nn's Module). */
export interface LayeredModule {
  namedModules(): Iterable<[string, { forward(...inputs: Tensor[]): unknown }]>;
}

/**
 * Runs `fn` with every submodule's forward wrapped in withLayer(its dotted path), so nodes
 * traced inside are named after the module that recorded them ("backbone.conv1"); restores the
 * modules after.
 */
export function withModulePaths<T>(model: LayeredModule, fn: () => T): T {
  const restore: (() => void)[] = [];
  for (const [path, m] of model.namedModules()) {
    if (!path) continue;
    const own = Object.getOwnPropertyDescriptor(m, "forward");
    const forward = m.forward;
    m.forward = (...xs: Tensor[]) => withLayer(path, () => forward.apply(m, xs));
    restore.push(() => {
      if (own) Object.defineProperty(m, "forward", own);
      else delete (m as { forward?: unknown }).forward;
    });
  }
  try {
    return fn();
  } finally {
    for (const r of restore.reverse()) r();
  }
}
