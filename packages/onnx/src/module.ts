// OnnxModule: an imported ONNX graph as a tsnpu Module. Its parameters are the constant tensors
// the graph reads at run time, so stateDict(), .to(device) and compile() work as for any Module.

import { Module, type Parameter } from "@tsnpu/nn";
import { ArgumentError, Tensor, describe } from "@tsnpu/tensor";
import type { InputSpec, LoweredGraph, Step, StepInput } from "./graph.js";

/** One layer's time in `OnnxModule.profile`. */
export interface LayerTime {
  readonly opType: string;
  readonly node: string;
  readonly ms: number;
}

const shapeText = (s: readonly number[]) => `[${s.join(", ")}]`;

export class OnnxModule extends Module {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** Each input's fixed shape and dtype, as forward() expects them. */
  readonly inputSpecs: readonly InputSpec[];
  readonly #steps: readonly Step[];
  readonly #constantOutputs: ReadonlyMap<string, Tensor>;
  /** The lowered graph this module runs: for tools that rewrite models (the quantizer). */
  readonly graph: LoweredGraph;

  constructor(graph: LoweredGraph) {
    super();
    this.graph = graph;
    this.inputSpecs = graph.inputs;
    this.inputNames = graph.inputs.map((i) => i.name);
    this.outputNames = graph.outputs;
    this.#steps = graph.steps;
    this.#constantOutputs = graph.constantOutputs;
    for (const [name, p] of graph.parameters) this.registerParameter<Parameter>(name, p);
    this.eval();
  }

  /**
   * Runs the graph. Returns the output tensor, or an array of them when the graph has several
   * outputs (typed as Tensor because Module.forward is; use `run()` for a typed array).
   */
  forward(...inputs: Tensor[]): Tensor {
    const outs = this.run(...inputs);
    return (outs.length === 1 ? outs[0]! : outs) as Tensor;
  }

  /** Runs the graph and returns every output, in `outputNames` order. */
  run(...inputs: Tensor[]): Tensor[] {
    return this.#execute(inputs, null);
  }

  /** Runs the graph eagerly, timing each layer (kernels are synchronous on every backend). */
  profile(...inputs: Tensor[]): { outputs: Tensor[]; layers: LayerTime[] } {
    const layers: LayerTime[] = [];
    return { outputs: this.#execute(inputs, layers), layers };
  }

  #execute(inputs: readonly Tensor[], times: LayerTime[] | null): Tensor[] {
    this.#checkInputs(inputs);
    const env = new Map<string, Tensor>();
    this.inputNames.forEach((name, i) => env.set(name, inputs[i]!));
    const resolve = (s: StepInput): Tensor | null => {
      if (s === null) return null;
      if ("value" in s) return env.get(s.value)!;
      return "parameter" in s ? s.parameter.data : s.constant;
    };
    for (const step of this.#steps) {
      const start = times ? performance.now() : 0;
      const outs = step.run(step.inputs.map(resolve));
      step.outputs.forEach((name, i) => name && env.set(name, outs[i]!));
      if (times)
        times.push({
          opType: step.node.opType,
          node: step.node.label,
          ms: performance.now() - start,
        });
    }
    const device = inputs[0]?.device;
    return this.outputNames.map(
      (name) => env.get(name) ?? this.#constantOutputs.get(name)!.to(device ?? "cpu"),
    );
  }

  #checkInputs(inputs: readonly unknown[]): void {
    if (inputs.length !== this.inputSpecs.length) {
      throw new ArgumentError(
        "OnnxModule.forward",
        "inputs",
        `${this.inputSpecs.length} tensor(s) (${this.inputNames.map((n) => `"${n}"`).join(", ")})`,
        `${inputs.length}`,
      );
    }
    this.inputSpecs.forEach((spec, i) => {
      const t = inputs[i];
      const ok =
        t instanceof Tensor &&
        t.dtype === spec.dtype &&
        t.shape.length === spec.shape.length &&
        t.shape.every((d, k) => d === spec.shape[k]);
      if (!ok)
        throw new ArgumentError(
          "OnnxModule.forward",
          `input "${spec.name}"`,
          `a ${spec.dtype.name} tensor of shape ${shapeText(spec.shape)}`,
          describe(t),
        );
    });
  }

  /** The graph's layers, one line per step: op, node name, attributes and shapes. */
  override toString(): string {
    const io = (specs: readonly { name: string }[]) => specs.map((s) => `"${s.name}"`).join(", ");
    const lines = this.#steps.map((s, i) => {
      const attrs = s.attributes ? `, ${s.attributes}` : "";
      const ins = s.inputShapes
        .filter((_, k) => s.inputs[k] && "value" in s.inputs[k]!)
        .map(shapeText)
        .join(", ");
      return `  (${i}): ${s.node.opType}("${s.node.label}"${attrs}) ${ins} -> ${s.outputShapes.map(shapeText).join(", ")}`;
    });
    const inputs = this.inputSpecs
      .map((s) => `"${s.name}": ${s.dtype.name}${shapeText(s.shape)}`)
      .join(", ");
    const header = `OnnxModule(inputs: ${inputs}; outputs: ${io(this.outputNames.map((name) => ({ name })))}; ${this.parameters().length} parameters`;
    return `${header}\n${lines.join("\n")}\n)`;
  }
}
