// Graph mode plans once (spec section 7): when compile() traces a graph, the backend's
// checkGraph calls planNetwork, which decides for every npu node, before any call runs,
// - whether the product runs it (all refused layers go into one NetworkRefusedError),
// - its data format and the TransData rows between neighbours whose formats differ (a graph
//   keeps NC1HWC0 between device ops [assume]; graph inputs and outputs are NCHW/ND),
// - its fusions (fusion.ts) and its modelled cost with the graph launch overhead,
// and hands each node's rows to its kernel's prepare (npu-kernel.ts). Replays only execute.

import { findKernel, type GraphNode, type OutputSpecs, type Tensor, numel } from "@tsnpu/tensor";
import {
  getSoc,
  opProfile,
  transDataProfile,
  vectorOpCost,
  type OpCost,
  type OpProfile,
  type SocName,
  type SocSpec,
} from "./sim/index.js";
import { socOf } from "./devices.js";
import { NetworkRefusedError, type RefusedLayer } from "./errors.js";
import { absorbedRow, fuse, type FusionCandidate } from "./fusion.js";
import { labelOf, npuKernelOf, setNodePlan, type DataFormat, type NpuCall } from "./npu-kernel.js";

export interface NpuBackendOptions {
  /** Model fusions (Cube + ReLU in FixPipe, element-wise chains in UB); default true. */
  readonly fusion?: boolean;
  /** The product to plan for, instead of the tensors' device's (see npu.setDevice). */
  readonly soc?: SocName;
}

let plans = 0;

/** How many graphs have been planned (graph mode plans once per compiled signature). */
export function plannedGraphCount(): number {
  return plans;
}

/** How a node without its own npu kernel (a device-agnostic layout op) is planned. */
interface Planned {
  readonly label: string;
  readonly format: DataFormat;
  readonly elementwise: boolean;
  /** null: a view, no kernel launched. */
  readonly cost: OpCost | null;
}

const bytesOf = (t: { shape: readonly number[]; dtype: { itemSize: number } }) =>
  numel(t.shape) * t.dtype.itemSize;

/** The device-agnostic kernels ("*"): views cost nothing, copies and casts are Vector ops. */
function planLayoutOp(soc: SocSpec, node: GraphNode): Planned | string {
  const out = node.outputs[0];
  const input = Object.values(node.inputs).find((t): t is Tensor => !!t);
  switch (node.op.name) {
    case "as_strided":
      return { label: "View", format: "ND", elementwise: false, cost: null };
    case "copy":
    case "cast":
    case "npu_trans_quant_param": {
      const inBytes = input ? bytesOf(input) : 0;
      const lane = Math.max(out.dtype.itemSize, input?.dtype.itemSize ?? 1);
      return {
        label:
          node.op.name === "cast" ? "Cast" : node.op.name === "copy" ? "Copy" : "TransQuantParam",
        format: "any",
        elementwise: node.op.name !== "npu_trans_quant_param",
        cost: vectorOpCost(soc, node.op.name, {
          elements: numel(out.shape),
          elementBytes: lane,
          bytesIn: inBytes,
          bytesOut: bytesOf(out),
        }),
      };
    }
    default:
      return `no npu kernel: the simulator does not model ${node.op.name}`;
  }
}

/** A graph node as the call its kernel will see (symbolic activations, concrete weights). */
function callOf(node: GraphNode): NpuCall {
  return {
    inputs: node.inputs as NpuCall["inputs"],
    attrs: node.attrs,
    outputs: node.outputs.map((o) => ({
      shape: o.shape,
      dtype: o.dtype,
    })) as unknown as OutputSpecs,
    derived: node.derived,
  };
}

interface Layer {
  readonly node: GraphNode;
  readonly name: string;
  readonly label: string;
  readonly format: DataFormat;
  readonly elementwise: boolean;
  readonly cost: OpCost | null;
}

/** Plans every npu node of a traced graph (see the file comment); throws NetworkRefusedError. */
export function planNetwork(nodes: readonly GraphNode[], options: NpuBackendOptions = {}): void {
  const mine = nodes.filter((n) => n.outputs[0].device.type === "npu");
  if (mine.length === 0) return;
  plans++;
  const soc = options.soc ? getSoc(options.soc) : socOf(mine[0]!.outputs[0].device);
  const counts = new Map<string, number>();
  const refused: RefusedLayer[] = [];
  const layers: Layer[] = [];
  for (const node of mine) {
    const i = counts.get(node.op.name) ?? 0;
    counts.set(node.op.name, i + 1);
    const name = node.layer ?? `${node.op.name}_${i}`;
    const call: NpuCall = {
      inputs: node.inputs as NpuCall["inputs"],
      attrs: node.attrs,
      outputs: node.outputs.map((o) => ({
        shape: o.shape,
        dtype: o.dtype,
      })) as unknown as OutputSpecs,
      derived: node.derived,
    };
    const k = npuKernelOf(node.op.name);
    if (!k) {
      const planned = findKernel(node.op.name, "*")
        ? planLayoutOp(soc, node)
        : `no npu kernel: the simulator does not model ${node.op.name}`;
      if (typeof planned === "string")
        refused.push({ layer: name, op: node.op.name, rule: planned });
      else layers.push({ node, name, ...planned });
      continue;
    }
    const why = k.declines?.(call.inputs, call.outputs) ?? k.refuses?.(soc, call) ?? null;
    if (why) {
      refused.push({ layer: name, op: node.op.name, rule: why });
      continue;
    }
    layers.push({
      node,
      name,
      label: labelOf(k, call),
      format: k.format,
      elementwise: k.elementwise ?? false,
      cost: k.cost(soc, call),
    });
  }
  if (refused.length > 0) throw new NetworkRefusedError(soc.name, refused);

  // Who reads what: producers by output tensor, readers per layer.
  const producer = new Map<Tensor, number>();
  layers.forEach((l, i) => l.node.outputs.forEach((o) => producer.set(o, i)));
  const readers = layers.map(() => 0);
  const symbolicInputs = (l: Layer) =>
    Object.values(l.node.inputs).filter((t): t is Tensor => !!t && t.isSymbolic);
  for (const l of layers)
    for (const t of symbolicInputs(l)) {
      const p = producer.get(t);
      if (p !== undefined) readers[p]!++;
    }
  const isOutput = readers.map((r) => r === 0);

  // Formats, and the TransData rows where neighbours differ.
  const formatOf = new Map<Tensor, "NC1HWC0" | "ND">();
  const converted = new Map<Tensor, Set<string>>();
  const before: OpProfile[][] = layers.map(() => []);
  const after: OpProfile[][] = layers.map(() => []);
  // A plain-layout 4-D tensor is NCHW; the profile says so.
  const shown = (f: string, t: { shape: readonly number[] }) =>
    f === "ND" && t.shape.length === 4 ? "NCHW" : f;
  const transData = (
    l: Layer,
    from: string,
    to: string,
    t: Tensor,
    placement: "before" | "after",
  ) => {
    const conversion = `${shown(from, t)}->${shown(to, t)}`;
    const row = transDataProfile(soc, conversion, bytesOf(t), bytesOf(t), placement, "graph");
    return { ...row, name: `${l.name}/TransData(${conversion})` };
  };
  layers.forEach((l, i) => {
    const ins = symbolicInputs(l);
    const first = ins[0] ? (formatOf.get(ins[0]) ?? "ND") : "ND";
    const want = l.format === "any" ? first : l.format;
    for (const t of ins) {
      const have = formatOf.get(t) ?? "ND";
      const done = converted.get(t) ?? new Set<string>();
      if (have === want || done.has(want)) continue;
      converted.set(t, done.add(want));
      before[i]!.push(transData(l, have, want, t, "before"));
    }
    for (const o of l.node.outputs) formatOf.set(o, want);
    if (isOutput[i] && want !== "ND") {
      const o = l.node.outputs[0];
      after[i]!.push(transData(l, want, "ND", o, "after"));
    }
  });

  // Fusion, then each layer's rows.
  const fusion = options.fusion ?? true;
  const candidates: FusionCandidate[] = layers.map((l, i) => {
    const chained = symbolicInputs(l)[0];
    const p = chained ? producer.get(chained) : undefined;
    return {
      name: l.name,
      op: l.node.op.name,
      cost:
        l.cost ??
        vectorOpCost(soc, l.label, { elements: 0, elementBytes: 1, bytesIn: 0, bytesOut: 0 }),
      elementwise: l.elementwise && l.cost !== null,
      producer: p === undefined || before[i]!.length > 0 ? null : p,
      chainedBytes: chained ? bytesOf(chained) : 0,
      consumers: readers[i]!,
      isOutput: isOutput[i]!,
    };
  });
  const fused = fuse(soc, candidates, { cubeRelu: fusion, elementwiseChains: fusion });
  layers.forEach((l, i) => {
    const cost = fused.costs[i] ?? null;
    const base =
      l.cost === null
        ? {
            ...absorbedRow(soc, candidates[i]!.cost, l.name, []),
            op: l.label,
            unit: "MTE" as const,
          }
        : cost === null
          ? { ...absorbedRow(soc, l.cost, l.name, fused.fusedWith[i]!), op: l.label }
          : {
              ...opProfile(soc, { ...cost, op: l.label }, l.name, "graph"),
              fusedWith: fused.fusedWith[i]!,
            };
    const row: OpProfile = { ...base, transData: [...before[i]!, ...after[i]!] };
    const detail = npuKernelOf(l.node.op.name)?.detail?.(soc, callOf(l.node)) ?? {};
    setNodePlan(l.node.inputs, { soc, row: { ...row, ...detail } });
  });
}
