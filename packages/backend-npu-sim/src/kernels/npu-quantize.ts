// npu kernel of npu_quantize (schema and validation: tensor/src/ops/npu-quantize.ts): the
// products' refusals (docs/semantics/npu-quantize.md section 4), then one pass on the Vector
// unit with the numerics every backend shares, and the op's profile. Compiled graphs are
// checked once, when the kernel is prepared.

import {
  Tensor,
  UnsupportedError,
  npuQuantizeOp,
  quantizeOperandValues as values,
  quantizeValues,
  registerKernel,
  type DType,
  type KernelInputs,
  type NpuQuantizeAttrs,
} from "@tsnpu/tensor";
import { transDataProfile, type OpProfile, type SocSpec } from "../sim/index.js";
import { socOf } from "../devices.js";
import { recordProfile } from "../profiler.js";

type Inputs = KernelInputs<(typeof npuQuantizeOp)["inputs"]>;

/** What the product refuses: axis -2 is A2/A3 only; 310P's div mode false needs scales of the input's dtype [doc]. */
export function checkQuantizeSupported(
  soc: SocSpec,
  inputDtype: DType,
  scalesDtype: DType,
  a: NpuQuantizeAttrs,
): string | null {
  const refuse = (rule: string, what: string) =>
    `npu_quantize on ${soc.name} (${soc.family}): ${what} [rule: ${rule}]`;
  if (/Atlas A[23]/.test(soc.family)) return null;
  if (!a.divMode && a.axis === -2)
    return refuse("quantize-axis-m2", "axis = -2 is supported on Atlas A2/A3 only");
  if (!a.divMode && scalesDtype !== inputDtype)
    return refuse(
      "quantize-div-mode-dtype",
      `divMode false needs scales of the input's dtype (${inputDtype.name}), got ${scalesDtype.name}`,
    );
  return null;
}

function refuseUnsupported({ input, scales }: Inputs, a: NpuQuantizeAttrs): void {
  const refusal = checkQuantizeSupported(socOf(input.device), input.dtype, scales.dtype, a);
  if (refusal) throw new UnsupportedError(refusal);
}

/**
 * The Vector unit's cost of one pass (section 4 [est]): 128 float16 or 64 float32 elements per
 * cycle per core, against the UB <-> GM traffic of input and output at the GM read rate
 * [assume: writes as fast]; one Vector unit per AI Core [assume].
 */
export function quantizeCycles(
  soc: SocSpec,
  elements: number,
  inBytes: number,
  outBytes: number,
): { vector: number; mte2: number; cycles: number } {
  const cores = soc.cubeCores.value;
  const lanes = inBytes === 2 ? 128 : 64;
  const vector = Math.ceil(Math.ceil(elements / lanes) / cores);
  const mte2 = (elements * (inBytes + outBytes)) / cores / soc.gmReadBytesPerCycle.value;
  return { vector, mte2, cycles: Math.max(vector, mte2) + soc.corePrologueCycles.value };
}

/** The op's profile: a memory-bound pass like a TransData (same record shape), with the Vector unit's cost. */
function quantizeProfile(
  soc: SocSpec,
  elements: number,
  inBytes: number,
  outBytes: number,
): OpProfile {
  const { vector, mte2, cycles } = quantizeCycles(soc, elements, inBytes, outBytes);
  const base = transDataProfile(soc, "", elements * inBytes, elements * outBytes, "before");
  return {
    ...base,
    op: "npu_quantize",
    name: `npu_quantize (Vector ${vector} cycles, UB<->GM ${Math.ceil(mte2)} cycles per core)`,
    cycles,
    microseconds: cycles / (soc.clockGHz.value * 1e3) + base.launchOverheadUs,
    units: { ...base.units, mte2: Math.max(vector, mte2) },
    constants: [
      ...base.constants.filter((c) => c.name !== "transDataBytesPerCycle"),
      {
        name: "gmReadBytesPerCycle",
        value: soc.gmReadBytesPerCycle.value,
        tag: soc.gmReadBytesPerCycle.tag,
      },
    ],
    placement: null,
  };
}

function run(
  i: Inputs,
  attrs: NpuQuantizeAttrs,
  [spec]: readonly { shape: readonly number[]; dtype: DType }[],
  g: Parameters<typeof quantizeValues>[0],
): Tensor[] {
  const { input, scales, zeroPoints } = i;
  const out = Tensor.forOutput(spec!.shape, spec!.dtype, input.device);
  quantizeValues(
    g,
    values(input),
    values(scales),
    zeroPoints ? values(zeroPoints) : null,
    attrs.divMode,
    spec!.dtype,
    out.storage.data as Int8Array | Uint8Array | Int32Array,
  );
  recordProfile(
    quantizeProfile(socOf(input.device), out.numel(), input.dtype.itemSize, spec!.dtype.itemSize),
  );
  return [out];
}

registerKernel(npuQuantizeOp, "npu", {
  run: (inputs, attrs, outputs, g) => {
    refuseUnsupported(inputs, attrs);
    return run(inputs, attrs, outputs, g);
  },
  prepare: (inputs, attrs) => {
    refuseUnsupported(inputs, attrs);
    return run;
  },
});
