// Fused graph step on wasm: add -> relu (every BlazeFace block ends with one) as one pass, the
// relu applied to each chunk of the sum while it is in cache (assembly/ops/eltwise.ts), with no
// sum tensor in between. The bits are the unfused graph's: the sum is rounded to its dtype
// first, and relu works on those bits as the relu kernel does. Declines where the add's result
// is not one the wasm add kernel takes (float16, float32, int32).

import type { Fusion, GraphNode, KernelFn, OutputSpecs, Tensor } from "@tsnpu/tensor";
import { wasmFusions } from "../fusions.js";
import { binaryKernel } from "./elementwise.js";

const addRelu = binaryKernel("add", true);
const RESULTS = ["float16", "float32", "int32"];

function prepareAddRelu(nodes: readonly GraphNode[]): KernelFn | null {
  const [add, relu] = nodes as [GraphNode, GraphNode];
  if ((relu.inputs as { self?: Tensor }).self !== add.outputs[0]) return null;
  if (!RESULTS.includes(add.outputs[0].dtype.name)) return null;
  const specs = add.outputs.map((o) => ({
    shape: o.shape,
    dtype: o.dtype,
  })) as unknown as OutputSpecs;
  return (chain) => {
    const self = chain["0.self"] as Tensor;
    const other = (chain["0.other"] as Tensor | null | undefined) ?? null;
    return addRelu({ self, other } as never, add.attrs as never, specs, add.derived as never);
  };
}

wasmFusions.push({
  name: "add+relu",
  ops: ["add", "relu"],
  prepare: prepareAddRelu,
} satisfies Fusion);
