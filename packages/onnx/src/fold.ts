// Load-time rewrite: a BatchNormalization right after a Conv (whose output nothing else reads)
// becomes part of that Conv: W' = W * s per output channel, b' = b * s + t, where
// s = scale / sqrt(var + eps) and t = B - mean * s (computed in float64, rounded once).

import { float32, type Tensor } from "@tsnpu/tensor";
import { OnnxNode } from "./node.js";
import { batchNormAffine } from "./ops/conv.js";
import type { NodeProto } from "./proto.js";
import { hostNumbers, hostTensor } from "./tensors.js";

const isOnnxDomain = (n: NodeProto) => !n.domain || n.domain === "ai.onnx";

/** Returns the nodes with foldable Conv + BatchNormalization pairs merged; adds the folded tensors to `constants`. */
export function foldBatchNorms(
  nodes: readonly NodeProto[],
  constants: Map<string, Tensor>,
  graphOutputs: ReadonlySet<string>,
  opset: number,
): NodeProto[] {
  const readers = new Map<string, number>();
  for (const n of nodes) for (const i of n.input ?? []) readers.set(i, (readers.get(i) ?? 0) + 1);
  const producer = new Map<string, NodeProto>();
  for (const n of nodes) for (const o of n.output ?? []) producer.set(o, n);
  const merged = new Map<NodeProto, NodeProto>(); // conv -> merged node
  const dropped = new Set<NodeProto>();
  for (const bn of nodes) {
    if (
      bn.opType !== "BatchNormalization" ||
      !isOnnxDomain(bn) ||
      (bn.output ?? []).slice(1).some((o) => o)
    )
      continue;
    const convOut = bn.input?.[0] ?? "";
    const conv = producer.get(convOut);
    if (conv?.opType !== "Conv" || !isOnnxDomain(conv) || merged.has(conv)) continue;
    if (readers.get(convOut) !== 1 || graphOutputs.has(convOut)) continue;
    const [, wName = "", bName = ""] = conv.input ?? [];
    const weight = constants.get(wName);
    const bias = bName ? constants.get(bName) : undefined;
    if (!weight || (bName && !bias)) continue;
    const bnNode = new OnnxNode(bn, opset);
    const bnInputs = (bn.input ?? []).map((name) => constants.get(name) ?? null);
    if (bnInputs.slice(1, 5).some((t) => !t) || bnNode.int("training_mode", 0) !== 0) continue;
    const { s, t } = batchNormAffine(bnNode, bnInputs);
    const perChannel = weight.numel() / weight.shape[0]!;
    const w = hostNumbers(weight);
    const b = bias ? hostNumbers(bias) : Array<number>(s.length).fill(0);
    const base = conv.name || conv.output?.[0] || "conv";
    const names = { weight: `${base}.folded_weight`, bias: `${base}.folded_bias` };
    constants.set(
      names.weight,
      hostTensor(
        Float32Array.from(w, (v, i) => v * s[Math.floor(i / perChannel)]!),
        weight.shape,
        float32,
      ).to(weight.dtype),
    );
    constants.set(
      names.bias,
      hostTensor(
        Float32Array.from(b, (v, c) => v * s[c]! + t[c]!),
        [s.length],
        float32,
      ).to(weight.dtype),
    );
    merged.set(conv, {
      ...conv,
      name: `${conv.name ?? ""}+${bn.name ?? ""}`,
      input: [conv.input![0]!, names.weight, names.bias],
      output: [bn.output![0]!],
    });
    dropped.add(bn);
  }
  return nodes.filter((n) => !dropped.has(n)).map((n) => merged.get(n) ?? n);
}
