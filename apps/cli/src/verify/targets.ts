// The backends `tsnpu verify` checks: cpu, wasm with 1 and 2 threads, and each simulated product
// (A2/A3 bit-exact; the Atlas inference series saturates float16 and refuses some shapes).
import { saturateFloat16 } from "@tsnpu/conformance/standalone";
import { saturatingVectorOps, sim } from "@tsnpu/backend-npu-sim";
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
    adjustExpected: saturates ? saturateFloat16 : same,
    adjustCast: saturates && saturatingVectorOps.has("cast") ? saturateFloat16 : same,
  };
}

export function verifyTargets(socs: readonly SocName[]): Target[] {
  return [cpuTarget, wasmTarget(1), wasmTarget(2), ...socs.map(npuTarget)];
}
