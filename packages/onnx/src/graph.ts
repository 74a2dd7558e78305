// Load-time lowering of an ONNX graph into steps of tsnpu ops. Every node runs once at load:
// on constants (which folds it) or, under a graph trace, on symbolic tensors of the inputs'
// fixed shapes, which runs every meta function (validating the model) and gives each value's
// shape. Nodes whose outputs are all known at load (shape subgraphs) leave no step behind.

import { Parameter } from "@tsnpu/nn";
import {
  Tensor,
  Trace,
  TsnpuError,
  Device,
  float16,
  float32,
  withTrace,
  type DType,
} from "@tsnpu/tensor";
import { OnnxError, OnnxUnsupportedOpsError, type UnsupportedNode } from "./errors.js";
import { foldBatchNorms } from "./fold.js";
import { OnnxNode } from "./node.js";
import { opHandlers, supportedOps } from "./ops/index.js";
import type { NodeInputs, Run } from "./ops/types.js";
import { toNumber, type Int64, type ModelProto, type ValueInfoProto } from "./proto.js";
import { dtypeOf, tensorFromProto } from "./tensors.js";

export interface LoadOptions {
  /** Fixed shapes for inputs with symbolic (dynamic) dims, by input name. */
  readonly inputShapes?: Readonly<Record<string, readonly number[]>>;
  /**
   * float32 (the default: as stored) or float16: float32 initializers, constants, inputs and
   * Cast targets become float16, so the whole graph runs in float16.
   */
  readonly floatDType?: DType;
}

export interface InputSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: DType;
}

/** Where a step finds input i at run time. */
export type StepInput =
  | { readonly value: string }
  | { readonly parameter: Parameter }
  | { readonly constant: Tensor }
  | null;

export interface Step {
  readonly node: OnnxNode;
  readonly attributes: string;
  readonly inputs: readonly StepInput[];
  readonly outputs: readonly string[];
  readonly run: Run;
  /** Shapes seen at load, for toString(). */
  readonly inputShapes: readonly (readonly number[])[];
  readonly outputShapes: readonly (readonly number[])[];
}

export interface LoweredGraph {
  readonly inputs: readonly InputSpec[];
  readonly outputs: readonly string[];
  readonly steps: readonly Step[];
  readonly parameters: ReadonlyMap<string, Parameter>;
  /** Graph outputs known at load. */
  readonly constantOutputs: ReadonlyMap<string, Tensor>;
  /** What the graph was lowered from, so tools that rewrite it (the quantizer) can lower it again. */
  readonly source: { readonly model: ModelProto; readonly options: LoadOptions };
}

const FIRST_OPSET = 7;
const LAST_OPSET = 21;

function onnxOpset(model: ModelProto): number {
  const entry = model.opsetImport.find((o) => !o.domain || o.domain === "ai.onnx");
  if (!entry)
    throw new OnnxError(
      "the model imports no ai.onnx opset (opset_import has no entry for the default domain)",
    );
  const version = toNumber(entry.version as Int64);
  if (version < FIRST_OPSET || version > LAST_OPSET) {
    throw new OnnxError(
      `the model uses ai.onnx opset ${version}; tsnpu imports opsets ${FIRST_OPSET} to ${LAST_OPSET}`,
    );
  }
  return version;
}

/** An input's shape with `inputShapes` applied; errors name the input and its symbolic dims. */
function inputSpec(info: ValueInfoProto, fixed: readonly number[] | undefined): InputSpec {
  const name = info.name ?? "";
  const tensorType = info.type?.tensorType;
  if (!tensorType)
    throw new OnnxError(
      `input "${name}" is not a tensor (sequences, maps and optionals are not supported)`,
    );
  const dtype = dtypeOf(tensorType.elemType ?? 0, `input "${name}"`);
  const dims = (tensorType.shape?.dim ?? []).map((d) =>
    d.dimParam
      ? d.dimParam
      : d.dimValue !== undefined && d.dimValue !== null
        ? toNumber(d.dimValue as Int64)
        : "?",
  );
  const declared = dims.map((d) => (typeof d === "number" && d > 0 ? d : null));
  if (fixed) {
    const conflict =
      fixed.length !== dims.length ||
      fixed.some(
        (d, i) => !Number.isInteger(d) || d < 0 || (declared[i] !== null && declared[i] !== d),
      );
    if (conflict && tensorType.shape) {
      throw new OnnxError(
        `inputShapes["${name}"] = [${fixed.join(", ")}] does not fit the input's declared shape [${dims.join(", ")}]`,
      );
    }
    return { name, shape: [...fixed], dtype };
  }
  if (!tensorType.shape)
    throw new OnnxError(
      `input "${name}" has no declared shape: pass inputShapes: { "${name}": [...] }`,
    );
  const symbolic = dims.filter((_, i) => declared[i] === null);
  if (symbolic.length) {
    throw new OnnxError(
      `input "${name}" has symbolic dims [${dims.join(", ")}] (${symbolic.map((d) => JSON.stringify(d)).join(", ")}): pass inputShapes: { "${name}": [...] } to fix them (static graphs)`,
    );
  }
  return { name, shape: declared as number[], dtype };
}

/** Runs `fn`, turning tsnpu errors (a meta function refusing the node) into OnnxErrors naming the node. */
function atNode<T>(node: OnnxNode, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof OnnxError || !(e instanceof TsnpuError)) throw e;
    const error = node.error(e.message);
    error.cause = e;
    throw error;
  }
}

function checkSupported(nodes: readonly OnnxNode[]): void {
  const unsupported: UnsupportedNode[] = nodes
    .filter(
      (n) => (n.domain !== "" && n.domain !== "ai.onnx") || !Object.hasOwn(opHandlers, n.opType),
    )
    .map((n) => ({
      node: n.label,
      opType: n.opType,
      domain: n.domain || "ai.onnx",
      opset: n.opset,
    }));
  if (unsupported.length) throw new OnnxUnsupportedOpsError(unsupported, supportedOps);
}

export function lowerGraph(model: ModelProto, options: LoadOptions = {}): LoweredGraph {
  const opset = onnxOpset(model);
  const floatDType = options.floatDType ?? float32;
  if (floatDType !== float32 && floatDType !== float16)
    throw new OnnxError(`floatDType must be float32 or float16, got ${floatDType.name}`);
  const asFloat = (t: Tensor) =>
    t.dtype === float32 && floatDType !== float32 && !t.isSymbolic ? t.to(floatDType) : t;
  const graph = model.graph!;
  const constants = new Map<string, Tensor>();
  for (const t of graph.initializer ?? [])
    constants.set(t.name ?? "", asFloat(tensorFromProto(t, "initializer")));
  const sparse = graph.sparseInitializer?.[0];
  if (sparse)
    throw new OnnxError(`sparse initializer "${sparse.values?.name ?? ""}" is not supported`);

  const fixed = options.inputShapes ?? {};
  const realInputs = (graph.input ?? []).filter((i) => !constants.has(i.name ?? ""));
  const unknown = Object.keys(fixed).filter((k) => !realInputs.some((i) => i.name === k));
  if (unknown.length)
    throw new OnnxError(
      `inputShapes names ${unknown.map((k) => `"${k}"`).join(", ")}, which the model has no input for (inputs: ${realInputs.map((i) => `"${i.name}"`).join(", ")})`,
    );
  const inputs = realInputs
    .map((i) => inputSpec(i, fixed[i.name ?? ""]))
    .map((spec) => (spec.dtype === float32 ? { ...spec, dtype: floatDType } : spec));
  const outputs = (graph.output ?? []).map((o) => o.name ?? "");

  checkSupported((graph.node ?? []).map((n) => new OnnxNode(n, opset)));
  const nodes = foldBatchNorms(graph.node ?? [], constants, new Set(outputs), opset).map(
    (n) => new OnnxNode(n, opset),
  );

  const values = new Map<string, Tensor>(constants);
  for (const spec of inputs)
    values.set(spec.name, Tensor.symbolic(spec.shape, spec.dtype, Device.of("cpu")));
  const parameters = new Map<string, Parameter>();
  const steps: Step[] = [];
  const parameterFor = (name: string, t: Tensor) => {
    const existing = parameters.get(name);
    if (existing) return existing;
    const p = new Parameter(t);
    parameters.set(name, p);
    return p;
  };

  withTrace(new Trace(), () => {
    for (const node of nodes) {
      const ins: NodeInputs = node.inputs.map((name) => {
        if (name === "") return null;
        const v = values.get(name);
        if (!v)
          throw node.error(
            `input "${name}" is not produced by any earlier node, initializer or graph input (graphs must be topologically sorted)`,
          );
        return v;
      });
      const operands = new Set<number>();
      const derived: string[] = [];
      const run = atNode(node, () =>
        opHandlers[node.opType]!(node, ins, {
          floatDType,
          operand: (i) => operands.add(i),
          parameter: (role, value) => {
            const name = `${node.label}.${role}`;
            derived.push(name);
            return parameterFor(name, value);
          },
        }),
      );
      const outs = atNode(node, () => run(ins)).map(asFloat);
      node.outputs.forEach((name, i) => {
        const out = outs[i];
        if (name && !out) throw node.error(`produced no value for output ${i} ("${name}")`);
        if (name && out) values.set(name, out);
      });
      if (outs.every((o) => !o.isSymbolic)) {
        for (const name of derived) parameters.delete(name); // folded: its helper constants are not needed
        continue;
      }
      steps.push({
        node,
        attributes: node.attributeText(),
        inputs: node.inputs.map((name, i): StepInput => {
          const t = ins[i];
          if (!t) return null;
          if (t.isSymbolic) return { value: name };
          return operands.has(i) ? { parameter: parameterFor(name, t) } : { constant: t };
        }),
        outputs: node.outputs,
        run,
        inputShapes: ins.map((t) => t?.shape ?? []),
        outputShapes: outs.map((t) => t.shape),
      });
    }
  });

  const constantOutputs = new Map<string, Tensor>();
  for (const name of outputs) {
    const v = values.get(name);
    if (!v) throw new OnnxError(`graph output "${name}" is not produced by any node`);
    if (!v.isSymbolic) constantOutputs.set(name, v);
  }
  return { inputs, outputs, steps, parameters, constantOutputs, source: { model, options } };
}
