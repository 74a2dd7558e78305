// Static graphs: trace a function once for given input shapes through the meta functions,
// let each backend prepare its kernels once (pack weights, plan tiles), then replay.
// This is the machinery behind nn's compile(), the torch.compile analogue.
//
// Memory: tensors made while tracing (constants such as a converted scale) belong to the graph,
// and so do its intermediates, at offsets in per-device arenas planned once (replay.ts,
// buffer-plan.ts) and reused by every replay; a replay frees every other tensor it made except
// those it returns (which are always fresh: a later replay never writes into them);
// dispose() frees the constants, the arenas and the kernels' prepared state.

import type { Device } from "../device.js";
import type { DType } from "../dtype.js";
import { ArgumentError, DisposedError, describe } from "../errors.js";
import { inScope, type ScopedStorage } from "../scope.js";
import { sameShape } from "../shape.js";
import { Tensor } from "../tensor.js";
import { tidy } from "../tidy.js";
import { commonDevice, inputList, resolveKernel } from "./dispatch.js";
import { getBackend, type Backend } from "./backend.js";
import type { KernelInputs, OutputSpecs } from "./op.js";
import { Trace, withTrace, type GraphNode } from "./trace.js";
import { chainInputs, planFusions, type FusionStep } from "./fuse.js";
import {
  ReplayProgram,
  type BufferPlanReport,
  type PreparedKernelFn,
  type PreparedNode,
} from "./replay.js";

export type { BufferPlanReport, PreparedKernelFn } from "./replay.js";

export interface GraphInputSpec {
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly device: Device;
}

export class Graph {
  #disposed = false;

  private constructor(
    readonly inputs: readonly Tensor[],
    readonly nodes: readonly GraphNode[],
    private readonly prepared: readonly PreparedNode[],
    private readonly program: ReplayProgram,
    /** Storages made while tracing (folded constants): the graph's to free. */
    private readonly constants: readonly ScopedStorage[],
    /** The chains the backends fused (dispatch/fuse.ts), by fusion name and ops. */
    readonly fused: readonly { readonly name: string; readonly ops: readonly string[] }[] = [],
  ) {}

  /** Traces `fn` on symbolic inputs of the given specs and prepares every node's kernel once. */
  static trace(
    fn: (...inputs: Tensor[]) => Tensor | readonly Tensor[],
    specs: readonly GraphInputSpec[],
    /** Backend objects to use instead of the registered ones (compile's `backend` option, which may carry options). */
    backends: readonly Backend[] = [],
  ): Graph {
    const placeholders = specs.map((s) => Tensor.symbolic(s.shape, s.dtype, s.device));
    const trace = new Trace();
    const { result: output, allocated } = inScope(() =>
      withTrace(trace, () => fn(...placeholders)),
    );
    const deviceOf = (n: GraphNode) => commonDevice(n.op.name, inputList(n.op, n.inputs));
    const devices = new Set(trace.nodes.map((n) => deviceOf(n).type));
    // The backend objects compile() was given carry their options (e.g. npu.backend({ fusion: false })).
    const backendOf = (d: string) => backends.find((b) => b.name === d) ?? getBackend(d);
    for (const d of devices) backendOf(d).checkGraph?.(trace.nodes);
    const outputs = Array.isArray(output) ? (output as Tensor[]) : [output as Tensor];
    const steps = planFusions(
      trace.nodes,
      outputs,
      (n) => backendOf(deviceOf(n).type).fusions ?? [],
    );
    const prepareNode = (node: GraphNode): PreparedNode => {
      const specsOut = node.outputs.map((o) => ({
        shape: o.shape,
        dtype: o.dtype,
      })) as unknown as OutputSpecs;
      // The meta function accepted these inputs when the node was recorded.
      const inputs = node.inputs as KernelInputs<readonly string[]>;
      const kernel = resolveKernel(node.op, deviceOf(node), inputs, specsOut);
      const run: PreparedKernelFn = kernel.prepare
        ? kernel.prepare(inputs, node.attrs, specsOut, node.derived)
        : kernel.run.bind(kernel);
      return { node, run };
    };
    const fused: { name: string; ops: string[] }[] = [];
    /** A fused step runs as one node reading the chain's outside inputs and giving the last link's outputs. */
    const prepareStep = ({ nodes, fusion }: FusionStep): PreparedNode[] => {
      const run = fusion?.prepare(nodes);
      if (!fusion || !run) return nodes.map(prepareNode);
      fused.push({ name: fusion.name, ops: nodes.map((n) => n.op.name) });
      const last = nodes[nodes.length - 1]!;
      return [{ node: { ...last, inputs: chainInputs(nodes) }, run }];
    };
    // The arenas are made here too, so they are the graph's (never the caller's scope's).
    const { result: prepared, allocated: preparedAllocated } = inScope(() => {
      const nodes = steps.flatMap(prepareStep);
      const program = ReplayProgram.build(nodes, placeholders, output, (d) => backendOf(d.type));
      return { nodes, program };
    });
    return new Graph(
      placeholders,
      trace.nodes,
      prepared.nodes,
      prepared.program,
      [...allocated, ...preparedAllocated],
      fused,
    );
  }

  /** True when `t` may stand for traced input `i`: a tensor of its dtype, device and shape. */
  acceptsInput(i: number, t: unknown): boolean {
    const p = this.inputs[i];
    return (
      p !== undefined &&
      t instanceof Tensor &&
      t.dtype === p.dtype &&
      t.device.equals(p.device) &&
      sameShape(t.shape, p.shape)
    );
  }

  /** True when `run(...inputs)` would accept these inputs (no allocation: checked per call). */
  accepts(inputs: readonly unknown[]): boolean {
    return inputs.length === this.inputs.length && inputs.every((t, i) => this.acceptsInput(i, t));
  }

  /** Runs the graph on concrete inputs of exactly the traced shapes, dtypes and devices. */
  run(...inputs: Tensor[]): Tensor | Tensor[] {
    if (inputs.length !== this.inputs.length) {
      throw new ArgumentError(
        "compiled graph",
        "inputs",
        `${this.inputs.length} tensor(s)`,
        `${inputs.length}`,
      );
    }
    this.inputs.forEach((p, i) => {
      if (!this.acceptsInput(i, inputs[i])) {
        throw new ArgumentError(
          "compiled graph",
          `input ${i}`,
          `a ${p.dtype.name} tensor of shape ${describe(p.shape)} on ${p.device}`,
          describe(inputs[i]),
        );
      }
    });
    return this.replay(inputs);
  }

  /** @internal `run` without the input checks, for callers that just had `accepts` approve them. */
  replay(inputs: readonly Tensor[]): Tensor | Tensor[] {
    if (this.#disposed) throw new DisposedError("this compiled graph was disposed");
    return tidy(() => this.replayInScope(inputs));
  }

  /** Frees the graph's constants, arenas and kernels' prepared state; later runs throw DisposedError. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    for (const { run } of this.prepared) run.dispose?.();
    this.program.dispose();
    for (const s of this.constants) s.dispose();
  }

  /** What the buffer planner did: intermediates placed in arenas, their bytes, the arenas' bytes. */
  get bufferPlan(): BufferPlanReport & { readonly copies: number } {
    return { ...this.program.report, copies: this.program.copies };
  }

  private replayInScope(inputs: readonly Tensor[]): Tensor | Tensor[] {
    // Views recorded at trace time assume contiguous inputs (see ops/views.ts).
    return this.program.run(inputs.map((t) => t.contiguous()));
  }
}
