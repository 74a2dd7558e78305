// The backends `tsnpu verify` checks: cpu, wasm with 1 and 2 threads, and each simulated product
// (A2/A3 bit-exact; the Atlas inference series saturates float16 and refuses some shapes).
import { type NpuQuantizeCase, fromRaw, saturateFloat16 } from "@tsnpu/conformance/standalone";
import { npuKernelOf, saturatingVectorOps, sim } from "@tsnpu/backend-npu-sim";
import * as torch from "tsnpu";
import type { SocName } from "../socs.js";

export interface Target {
  readonly label: string;
  /** What --device selects it by. */
  readonly kind: "cpu" | "wasm" | "npu";
  readonly device: string;
  /** Starts the backend; resolves to why it cannot run here, or null. */
  readonly setup: () => Promise<string | null>;
  readonly teardown: () => void;
  /** The refusal message the product must give for a geometry, or null. */
  readonly refusal: (g: torch.QuantConv2dGeometry) => string | null;
  /** The refusal message the product must give for an npu_quantize case, or null. */
  readonly quantizeRefusal: (c: NpuQuantizeCase) => string | null;
  readonly adjustExpected: (bits: Uint16Array) => Uint16Array;
  /** The same for a float16 cast on the device (the 310P's Vector unit saturates casts too). */
  readonly adjustCast: (bits: Uint16Array) => Uint16Array;
}

const same = (bits: Uint16Array) => bits;

const cpuTarget: Target = {
  label: "cpu",
  kind: "cpu",
  device: "cpu",
  setup: async () => null,
  teardown: () => {},
  refusal: () => null,
  quantizeRefusal: () => null,
  adjustExpected: same,
  adjustCast: same,
};

function wasmTarget(threads: number): Target {
  return {
    label: `wasm (${threads} thread${threads > 1 ? "s" : ""})`,
    kind: "wasm",
    device: "wasm",
    setup: async () => {
      // minParallelMacs 0: even the small golden cases are split across the threads.
      const rt = await torch.wasm.ready({ numThreads: threads, minParallelMacs: 0 });
      return rt.numThreads === threads
        ? null
        : `started with ${rt.numThreads} thread(s): ${rt.singleThreadReason}`;
    },
    teardown: () => torch.wasm.shutdown(),
    refusal: () => null,
    quantizeRefusal: () => null,
    adjustExpected: same,
    adjustCast: same,
  };
}

function npuTarget(soc: SocName, index: number): Target {
  const spec = sim.getSoc(soc);
  const saturates = spec.fp16Overflow.value === "saturate";
  return {
    label: `npu:${index} ${soc}`,
    kind: "npu",
    device: `npu:${index}`,
    setup: async () => {
      torch.npu.setDevice(index, { soc });
      return null;
    },
    teardown: () => torch.npu.setDevice(0),
    refusal: (g) => sim.checkQuantConv2dSupported(spec, g)?.message ?? null,
    quantizeRefusal: (c) => quantizeRefusal(spec, c),
    adjustExpected: saturates ? saturateFloat16 : same,
    adjustCast: saturates && saturatingVectorOps.has("cast") ? saturateFloat16 : same,
  };
}

/** The product's own rule for the case, as its npu_quantize kernel registers it (it reads the dtypes and attributes). */
function quantizeRefusal(spec: sim.SocSpec, c: NpuQuantizeCase): string | null {
  const refuses = npuKernelOf("npu_quantize")?.refuses;
  if (!refuses) return null;
  const call = {
    inputs: { input: fromRaw(c.input, "cpu"), scales: fromRaw(c.scales, "cpu"), zeroPoints: null },
    attrs: { dtype: torch.dtypes[c.dtype], axis: c.axis, divMode: c.divMode },
    outputs: [],
    derived: undefined,
  };
  return refuses(spec, call as unknown as Parameters<typeof refuses>[1]);
}

export function verifyTargets(socs: readonly SocName[]): Target[] {
  return [cpuTarget, wasmTarget(1), wasmTarget(2), ...socs.map(npuTarget)];
}
