// The backends under test. cpu is checked against the spec-literal reference; every other one
// against cpu (adjusted for a product's float16 rules), as in the conformance suite.

import "@tsnpu/backend-cpu";
import { saturateFloat16 } from "@tsnpu/conformance";
import { setDevice, sim } from "@tsnpu/backend-npu-sim";
import { wasm } from "@tsnpu/backend-wasm";
import type { QuantConv2dGeometry } from "@tsnpu/tensor";

export interface Target {
  /** Row label: "cpu", "wasm 2 threads", "npu:2 Ascend310P". */
  readonly name: string;
  readonly device: string;
  /** The compile backend's name. */
  readonly backend: string;
  /** What this target's results are compared with. */
  readonly oracle: "reference" | "cpu";
  /** Run before each call (the wasm thread count per call). */
  readonly enter?: () => void;
  /** The refusal message this target must throw for a geometry, or null when it must run it. */
  readonly refusal: (g: QuantConv2dGeometry) => string | null;
  /** The oracle's float16 bits as this product gives them (310P saturates). */
  readonly adjust: (bits: Uint16Array) => Uint16Array;
}

const same = (bits: Uint16Array) => bits;
const never = () => null;

/**
 * Starts the wasm runtime with 2 worker threads (minParallelMacs 0: even tiny calls use them),
 * gives npu:i the i-th product of the simulator's soc table, and returns the targets.
 */
export async function startTargets(): Promise<Target[]> {
  const rt = await wasm.ready({ numThreads: 2, minParallelMacs: 0 });
  if (rt.numThreads !== 2)
    throw new Error(
      `the fuzzer needs 2 wasm threads, got ${rt.numThreads}: ${rt.singleThreadReason}`,
    );
  const targets: Target[] = [
    {
      name: "cpu",
      device: "cpu",
      backend: "cpu",
      oracle: "reference",
      refusal: never,
      adjust: same,
    },
  ];
  for (const threads of [1, 2]) {
    targets.push({
      name: `wasm ${threads} thread${threads > 1 ? "s" : ""}`,
      device: "wasm",
      backend: "wasm",
      oracle: "cpu",
      enter: () => wasm.setNumThreads(threads),
      refusal: never,
      adjust: same,
    });
  }
  sim.socNames().forEach((soc, index) => {
    setDevice(index, { soc });
    const spec = sim.getSoc(soc);
    targets.push({
      name: `npu:${index} ${soc}`,
      device: `npu:${index}`,
      backend: "npu",
      oracle: "cpu",
      refusal: (g) => sim.checkQuantConv2dSupported(spec, g)?.message ?? null,
      adjust: spec.fp16Overflow.value === "saturate" ? saturateFloat16 : same,
    });
  });
  setDevice(0);
  return targets;
}

/** Stops the wasm worker threads so the process can exit. */
export function stopTargets(): void {
  wasm.shutdown();
}
