// The three devices the evaluation runs on. Ops a backend has no kernel for (float convs on
// wasm and the simulated NPU) run on the cpu behind copies, as a user would allow them to.
import * as torch from "tsnpu";

export const DEVICES = ["cpu", "wasm", "npu"] as const;
export type EvalDevice = (typeof DEVICES)[number];

let ready = false;

export async function readyDevices(): Promise<void> {
  if (ready) return;
  await torch.wasm.ready({ numThreads: 1 });
  torch.setFallback("wasm", "cpu");
  torch.setFallback("npu", "cpu");
  ready = true;
}

/** A tensor's values as float64 on the host, whatever its float dtype and device. */
export function hostValues(t: torch.Tensor): Float64Array {
  const host = t.dtype === torch.float32 ? t.cpu() : t.cpu().to(torch.float32);
  return Float64Array.from(host.toTypedArray() as Float32Array);
}
