// compile(): the torch.compile analogue. The first call for an input signature (shapes, dtypes,
// device) traces `forward` through the meta functions into a static graph, validated ahead of
// time, whose kernels the backend prepares once (packed weights, tiling plans). Later calls with
// that signature replay it; another signature builds another graph.

import {
  ArgumentError,
  DisposedError,
  Graph,
  Tensor,
  UnsupportedError,
  describe,
  getBackend,
  withModulePaths,
  type Backend,
} from "@tsnpu/tensor";
import type { Module } from "./module.js";

export interface CompileOptions {
  /** The backend to compile for (e.g. `npu.backend()`); default: the one owning the model's parameters. */
  readonly backend?: Backend;
  /** false (the default, as in the seed): one static graph per input shape. */
  readonly dynamic?: boolean;
}

export interface CompiledModel {
  (...inputs: Tensor[]): Tensor;
  /** The graphs built so far, one per input signature. */
  readonly graphs: ReadonlyMap<string, Graph>;
  /**
   * Frees every graph (folded constants, packed weights, per-graph buffers); later calls throw
   * DisposedError. The module's own parameters stay (free them with `model.dispose()`, which
   * disposes its compiled models too).
   */
  dispose(): void;
}

const signature = (inputs: readonly Tensor[]) =>
  inputs.map((t) => `${t.dtype.name}[${t.shape.join(",")}]@${t.device}`).join(";");

/**
 * @example
 * const staticGraphModel = compile(model, { backend: npu.backend(), dynamic: false });
 * const y = staticGraphModel(x); // traced and prepared on the first call for this shape
 */
export function compile(model: Module, options: CompileOptions = {}): CompiledModel {
  // Duck-typed: a Module from a second copy of @tsnpu/nn (CommonJS next to ESM) is fine too.
  const m = model as Partial<Module> | null;
  if (typeof m?.forward !== "function" || typeof m.parameters !== "function")
    throw new ArgumentError("compile", "model", "a Module", describe(model));
  const params = model.parameters();
  const backend = options.backend ?? getBackend(params[0]?.device.type ?? "cpu");
  const misplaced = params.find((p) => p.device.type !== backend.name);
  if (misplaced) {
    throw new ArgumentError(
      "compile",
      "model",
      `parameters on the "${backend.name}" device of the backend`,
      `a parameter on ${misplaced.device}: move the model with .to("${backend.name}") first`,
    );
  }
  if (options.dynamic && backend.supportsDynamicShapes === false) {
    throw new UnsupportedError(
      `compile: the "${backend.name}" backend supports static shapes only (dynamic: false), as the real op does; got dynamic: true`,
    );
  }
  const graphs = new Map<string, Graph>();
  // The graph of the previous call: a model usually sees one signature over and over, and
  // checking that directly costs less per call than building the signature string.
  let last: Graph | undefined;
  // forward's declared parameters (0 with rest parameters: any count then)
  const arity = model.forward.length;
  const checkInputs = (inputs: readonly Tensor[]) => {
    if (arity > 0 && inputs.length !== arity) {
      throw new ArgumentError(
        "compiled model",
        "inputs",
        `${arity} tensor(s), as ${model.constructor.name}.forward takes`,
        `${inputs.length}`,
      );
    }
    inputs.forEach((t, i) => {
      if (!(t instanceof Tensor))
        throw new ArgumentError("compiled model", `input ${i}`, "a Tensor", describe(t));
      if (t.device.type !== backend.name)
        throw new ArgumentError(
          "compiled model",
          `input ${i}`,
          `a tensor on the "${backend.name}" device`,
          `a tensor on ${t.device}`,
        );
    });
  };
  let disposed = false;
  const run = (...inputs: Tensor[]): Tensor => {
    if (disposed)
      throw new DisposedError(
        "this compiled model was disposed (its dispose() or its module's dispose())",
      );
    if (options.dynamic) {
      checkInputs(inputs);
      return model.forward(...inputs);
    }
    // Inputs the previous graph accepts are valid: checked once per call, here.
    if (!last?.accepts(inputs)) {
      checkInputs(inputs);
      const key = signature(inputs);
      let graph = graphs.get(key);
      if (!graph) {
        graph = Graph.trace(
          (...xs: Tensor[]) => withModulePaths(model, () => model.forward(...xs)),
          inputs.map((t) => ({ shape: t.shape, dtype: t.dtype, device: t.device })),
          [backend],
        );
        graphs.set(key, graph);
      }
      last = graph;
    }
    return last.replay(inputs) as Tensor;
  };
  const dispose = () => {
    disposed = true;
    for (const g of graphs.values()) g.dispose();
    graphs.clear();
    last = undefined;
  };
  const compiled = Object.assign(run, { graphs, dispose });
  model.addDependent(compiled);
  return compiled;
}
