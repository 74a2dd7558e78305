// Graph fusion: a backend declares chains of ops it computes in one kernel (`Backend.fusions`),
// e.g. QuantConv2d -> relu -> npu_quantize; when a graph is prepared, each chain found in it
// becomes one step whose kernel the backend supplies. A chain matches only where each link's
// output feeds the next link alone: an intermediate that another node or the graph's output
// reads is computed as usual, so fusion never changes what a graph returns.

import type { Tensor } from "../tensor.js";
import type { GraphNode } from "./trace.js";
import type { KernelFn } from "./registry.js";

/** A chain of ops one backend kernel computes: `ops[i]`'s first output is read by `ops[i + 1]` only. */
export interface Fusion {
  /** Shown in Graph.fusedSteps. */
  readonly name: string;
  /** The ops' registry names, producer first (at least two). */
  readonly ops: readonly string[];
  /**
   * The kernel for one matched chain, called once when the graph is prepared; null declines
   * (dtypes or attributes it does not handle), and the nodes then run one by one. The kernel
   * receives the chain's inputs as `"<link>.<input>"` (e.g. "0.input", "2.scales") and returns
   * the last link's outputs.
   */
  prepare(nodes: readonly GraphNode[]): KernelFn | null;
}

/** One step of a prepared graph: a single node, or a fused chain with its fusion. */
export interface FusionStep {
  readonly nodes: readonly GraphNode[];
  readonly fusion: Fusion | null;
}

/** The chain's inputs read from outside it, keyed "<link>.<input>". */
export function chainInputs(nodes: readonly GraphNode[]): Record<string, Tensor | null> {
  const inside = new Set(nodes.slice(0, -1).map((n) => n.outputs[0]));
  const out: Record<string, Tensor | null> = {};
  nodes.forEach((n, i) => {
    for (const [name, t] of Object.entries(n.inputs as Record<string, Tensor | null>))
      if (!t || !inside.has(t)) out[`${i}.${name}`] = t;
  });
  return out;
}

/**
 * Splits `nodes` (in trace order) into steps, fusing the chains `fusionsOf(node)` declares for
 * the node that starts them (longest first). A fused step takes the place of its last node.
 */
export function planFusions(
  nodes: readonly GraphNode[],
  graphOutputs: readonly Tensor[],
  fusionsOf: (node: GraphNode) => readonly Fusion[],
): FusionStep[] {
  const readers = new Map<Tensor, GraphNode[]>();
  for (const n of nodes)
    for (const t of Object.values(n.inputs as Record<string, Tensor | null>))
      if (t) readers.set(t, [...(readers.get(t) ?? []), n]);
  const outputs = new Set(graphOutputs);
  /** The single node reading `n`'s only output, if nothing else (nor the graph's output) does. */
  const soleReader = (n: GraphNode): GraphNode | null => {
    const t = n.outputs[0];
    const r = readers.get(t);
    return n.outputs.length === 1 && !outputs.has(t) && r?.length === 1 ? r[0]! : null;
  };
  const chainFrom = (start: GraphNode, f: Fusion): GraphNode[] | null => {
    const chain = [start];
    for (let i = 1; i < f.ops.length; i++) {
      const next = soleReader(chain[i - 1]!);
      if (!next || next.op.name !== f.ops[i]) return null;
      chain.push(next);
    }
    return chain;
  };
  const fusedEnd = new Map<GraphNode, FusionStep>();
  const taken = new Set<GraphNode>();
  for (const n of nodes) {
    if (taken.has(n)) continue;
    const candidates = [...fusionsOf(n)]
      .filter((f) => f.ops[0] === n.op.name)
      .sort((a, b) => b.ops.length - a.ops.length);
    for (const f of candidates) {
      const chain = chainFrom(n, f);
      if (!chain || chain.some((c) => taken.has(c))) continue;
      for (const c of chain) taken.add(c);
      fusedEnd.set(chain[chain.length - 1]!, { nodes: chain, fusion: f });
      break;
    }
  }
  const steps: FusionStep[] = [];
  for (const n of nodes) {
    const fused = fusedEnd.get(n);
    if (fused) steps.push(fused);
    else if (!taken.has(n)) steps.push({ nodes: [n], fusion: null });
  }
  return steps;
}
