// OnnxError: everything wrong with a model file or with what it asks of tsnpu, found at load.
// Messages say what and where (byte offset, node name, attribute), so a user can act on them.

import { TsnpuError } from "@tsnpu/tensor";

/** A model that cannot be read or imported: a bad file, an unsupported op or attribute value. */
export class OnnxError extends TsnpuError {
  override name = "OnnxError";
}

/** One node whose op tsnpu cannot run. */
export interface UnsupportedNode {
  readonly node: string;
  readonly opType: string;
  readonly domain: string;
  readonly opset: number;
}

/** Every node of the graph whose op is not supported, listed in one error with the supported set. */
export class OnnxUnsupportedOpsError extends OnnxError {
  override name = "OnnxUnsupportedOpsError";
  constructor(
    readonly nodes: readonly UnsupportedNode[],
    readonly supported: readonly string[],
  ) {
    const lines = nodes.map(
      (n) => `  node "${n.node}": ${n.domain || "ai.onnx"}::${n.opType} (opset ${n.opset})`,
    );
    super(
      `${nodes.length} node(s) use ops that tsnpu cannot import:\n${lines.join("\n")}\nsupported ops (domain ai.onnx): ${supported.join(", ")}`,
    );
  }
}

/** The name ONNX tools show for a node: its name, else its op type and first output. */
export function nodeLabel(node: {
  readonly name: string;
  readonly opType: string;
  readonly outputs: readonly string[];
}): string {
  return node.name || `${node.opType} -> ${node.outputs[0] ?? "?"}`;
}
