// One row of the op table (after PyTorch's OpInfo): an op's registry name and a generator of
// samples, each a call of the op's public function on described inputs. Covering a new op is one
// entry in table.ts.

import type { QuantConv2dGeometry, Tensor } from "@tsnpu/tensor";
import type { NpuQuantizeCall } from "../npu-quantize-suite.js";
import type { SampleGen, TensorInput } from "./inputs.js";

export interface Sample {
  /** Says what the sample exercises, for failure messages. */
  readonly label: string;
  readonly inputs: readonly TensorInput[];
  /** Calls the op's public function with the inputs built on one device (same order as `inputs`). */
  readonly run: (inputs: readonly Tensor[]) => Tensor;
  /** For npu_quant_conv2d: the geometry a backend's `refuses` / `adjustExpected` options judge. */
  readonly quantConv2d?: QuantConv2dGeometry;
  /** For npu_quantize: the call a backend's `refusesQuantize` option judges. */
  readonly npuQuantize?: NpuQuantizeCall;
}

export interface OpEntry {
  /** The op's name in the kernel registry (defineOp's `name`). */
  readonly op: string;
  /** The samples, drawn from a generator seeded by the op's name. */
  readonly samples: (gen: SampleGen) => Sample[];
  /**
   * Why NaN payloads (which NaN, not whether NaN) are not compared for this op. Absent: every
   * bit of every output element is compared.
   */
  readonly nanPayloadsNotCompared?: string;
  /** The op returns views (as_strided): its outputs need not be contiguous. */
  readonly returnsViews?: boolean;
}

type Tensors<T extends readonly TensorInput[]> = { readonly [K in keyof T]: Tensor };

/** A sample whose `run` receives one tensor per input, typed by position. */
export function sample<const T extends readonly TensorInput[]>(
  label: string,
  inputs: T,
  run: (...tensors: Tensors<T>) => Tensor,
  quantConv2d?: QuantConv2dGeometry,
  npuQuantize?: NpuQuantizeCall,
): Sample {
  return {
    label,
    inputs,
    run: (tensors) => run(...(tensors as unknown as Tensors<T>)),
    ...(quantConv2d ? { quantConv2d } : {}),
    ...(npuQuantize ? { npuQuantize } : {}),
  };
}

/** "float32[2, 3] gapped" */
export function describeInput(input: TensorInput): string {
  return `${input.dtype.name}[${input.shape.join(", ")}]${input.layout === "contiguous" ? "" : ` ${input.layout}`}`;
}
