// A whole ONNX network on each simulated product (profile and check of <model.onnx>): loaded in
// float16 (the simulated Cube runs float16 convolutions and int8 QuantConv2d only), compiled for
// the product with its network planner, run once on random input and profiled. A product that
// cannot run it names every layer it refuses.
import {
  NetworkRefusedError,
  ProductComparison,
  type ProductRun,
  compareProducts,
} from "@tsnpu/backend-npu-sim";
import * as torch from "tsnpu";
import { UsageError } from "./cli/errors.js";
import { loadModel } from "./model.js";
import type { SocName } from "./socs.js";

export interface NetworkResult {
  /** The products that ran it, compared layer by layer. */
  readonly comparison: ProductComparison;
  readonly refusals: readonly NetworkRefusedError[];
}

export async function profileNetwork(
  file: string,
  inputShape: string | boolean | undefined,
  socs: readonly SocName[],
): Promise<NetworkResult> {
  const model = await loadModel(file, inputShape, { floatDType: torch.float16 });
  if (model.inputSpecs.length !== 1)
    throw new UsageError(
      `${file} has ${model.inputSpecs.length} inputs; profile and check feed models with one`,
    );
  const spec = model.inputSpecs[0]!;
  model.to("npu:0");
  const x = torch
    .randn([...spec.shape])
    .to(spec.dtype)
    .to("npu:0");
  const runs: ProductRun[] = [];
  const refusals: NetworkRefusedError[] = [];
  for (const soc of socs) {
    try {
      runs.push(...compareProducts(model, [x], [soc]).runs);
    } catch (e) {
      if (!(e instanceof NetworkRefusedError)) throw e;
      refusals.push(e);
    }
  }
  return { comparison: new ProductComparison(runs), refusals };
}
