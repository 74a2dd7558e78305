// Static graphs: trace a function once for given input shapes through the meta functions,
// let each backend prepare its kernels once (pack weights, plan tiles), then replay.
// This is the machinery behind nn's compile(), the torch.compile analogue.
//
// Memory: tensors made while tracing (constants such as a converted scale) belong to the graph;
// a replay frees every tensor it made except those it returns (intermediates, the contiguous
// copy of a strided input); dispose() frees the constants and the kernels' prepared state.

import type { Device } from "../device.js";
import type { DType } from "../dtype.js";
import { ArgumentError, DisposedError, describe } from "../errors.js";
import { inScope, type ScopedStorage } from "../scope.js";
import { sameShape } from "../shape.js";
import { Tensor } from "../tensor.js";
import { tidy } from "../tidy.js";
import { commonDevice, inputList, resolveKernel } from "./dispatch.js";
import { getBackend, type Backend } from "./backend.js";
import type { KernelInputs, OpInputs, OutputSpecs } from "./op.js";
import type { KernelFn } from "./registry.js";
import { Trace, withTrace, type GraphNode } from "./trace.js";

export interface GraphInputSpec {
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly device: Device;
}

/** A kernel's `prepare` result; `dispose`, when present, frees what it prepared (packed weights). */
export type PreparedKernelFn = KernelFn & { dispose?(): void };

interface PreparedNode {
  readonly node: GraphNode;
  readonly run: PreparedKernelFn;
}

export class Graph {
  #disposed = false;

  private constructor(
    readonly inputs: readonly Tensor[],
    readonly nodes: readonly GraphNode[],
    private readonly prepared: readonly PreparedNode[],
    private readonly output: Tensor | readonly Tensor[],
    /** Storages made while tracing (folded constants): the graph's to free. */
    private readonly constants: readonly ScopedStorage[],
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
    for (const d of devices)
      (backends.find((b) => b.name === d) ?? getBackend(d)).checkGraph?.(trace.nodes);
    const { result: prepared, allocated: preparedAllocated } = inScope(() =>
      trace.nodes.map((node): PreparedNode => {
        const specsOut = node.outputs.map((o) => ({
          shape: o.shape,
          dtype: o.dtype,
        })) as unknown as OutputSpecs;
        // The meta function accepted these inputs when the node was recorded.
        const inputs = node.inputs as KernelInputs<readonly string[]>;
        const kernel = resolveKernel(node.op, deviceOf(node), inputs, specsOut);
        const run: PreparedKernelFn = kernel.prepare
          ? kernel.prepare(inputs, node.attrs, specsOut, node.derived)
          : (...args) => kernel.run(...args);
        return { node, run };
      }),
    );
    return new Graph(placeholders, trace.nodes, prepared, output, [
      ...allocated,
      ...preparedAllocated,
    ]);
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

  /** Frees the graph's constants and its kernels' prepared state; later runs throw DisposedError. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    for (const { run } of this.prepared) run.dispose?.();
    for (const s of this.constants) s.dispose();
  }

  private replayInScope(inputs: readonly Tensor[]): Tensor | Tensor[] {
    const env = new Map<Tensor, Tensor>();
    // Views recorded at trace time assume contiguous inputs (see ops/views.ts).
    this.inputs.forEach((p, i) => {
      const t = inputs[i];
      if (t) env.set(p, t.contiguous());
    });
    const resolve = (t: Tensor) => env.get(t) ?? t;
    const resolveInputs = (named: OpInputs<readonly string[]>) => {
      const out: Record<string, Tensor | null> = {};
      for (const name in named) {
        const t = named[name];
        out[name] = t ? resolve(t) : null;
      }
      return out;
    };
    for (const { node, run } of this.prepared) {
      const outs = run(resolveInputs(node.inputs), node.attrs, node.outputs, node.derived);
      node.outputs.forEach((o, i) => {
        const t = outs[i];
        if (t) env.set(o, t);
      });
    }
    return Array.isArray(this.output)
      ? (this.output as Tensor[]).map(resolve)
      : resolve(this.output as Tensor);
  }
}
