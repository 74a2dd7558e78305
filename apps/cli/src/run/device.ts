// The device `run` and `bench` put a model on. Ops a backend has no kernel for run on the cpu
// (setFallback): the float layers of an ONNX model have no simulated-NPU kernel.
import * as torch from "tsnpu";
import type { SocName } from "../socs.js";

export type DeviceKind = "cpu" | "wasm" | "npu";

export async function startDevice(kind: DeviceKind, soc: SocName, threads = 1): Promise<string> {
  if (kind === "wasm") {
    await torch.wasm.ready({ numThreads: threads });
    torch.setFallback("wasm", "cpu");
    return "wasm";
  }
  if (kind === "npu") {
    torch.npu.setDevice(0, { soc });
    torch.setFallback("npu", "cpu");
    return "npu:0";
  }
  return "cpu";
}

/** Stops what startDevice started (the wasm worker threads would keep the process alive). */
export function stopDevice(kind: DeviceKind): void {
  if (kind === "wasm") torch.wasm.shutdown();
}
