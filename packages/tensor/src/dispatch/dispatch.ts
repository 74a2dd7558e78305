// The dispatcher: public op -> meta function (validation, output specs, derived values) -> the
// kernel of the backend that owns the inputs' device. While a graph is being traced, ops on
// symbolic tensors are recorded instead of run (graph.ts).

import { Device } from "../device.js";
import { DeviceMismatchError, KernelNotFoundError } from "../errors.js";
import { Tensor } from "../tensor.js";
import { getBackend } from "./backend.js";
import { importAdvice } from "./backend-packages.js";
import type { AnyOpDef, KernelInputs, OpDef, OpInputs, OutputSpecs } from "./op.js";
import { fallbackOf, findKernel, kernelsOf, type AnyKernel, type Kernel } from "./registry.js";
import { plannedOutputsOffered, withoutPlannedOutputs } from "./planned-outputs.js";
import { recordNode } from "./trace.js";

/** An op's inputs in schema order, variadic ones spread (undeclared names are ignored, missing ones are null). */
export function inputList(op: AnyOpDef, inputs: OpInputs<readonly string[]>): (Tensor | null)[] {
  return op.inputNames.flatMap((name) => {
    const v = inputs[name];
    return Array.isArray(v) ? v : [(v as Tensor | null | undefined) ?? null];
  });
}

/** `inputs` with `fn` applied to every tensor, inside variadic inputs too. */
export function mapInputs<T>(
  inputs: Readonly<Record<string, unknown>>,
  fn: (t: Tensor) => Tensor,
): T {
  const one = (t: unknown) => (t instanceof Tensor ? fn(t) : null);
  return Object.fromEntries(
    Object.entries(inputs).map(([name, v]) => [name, Array.isArray(v) ? v.map(one) : one(v)]),
  ) as T;
}

/** The one device all tensor inputs share; throws when they differ. */
export function commonDevice(op: string, inputs: readonly (Tensor | null)[]): Device {
  let device: Device | null = null;
  for (const t of inputs) {
    if (!(t instanceof Tensor)) continue; // null, or a wrong argument the meta function will name
    if (device === null) device = t.device;
    else if (!device.equals(t.device)) {
      throw new DeviceMismatchError(
        `${op}: expected all tensors on one device, but found ${device} and ${t.device}; move them with .to(device) first`,
      );
    }
  }
  return device ?? Device.of("cpu");
}

const warnedFallbacks = new Set<string>();

/** `inputs` with every tensor moved to `device`. */
function movedTo(
  inputs: KernelInputs<readonly string[]>,
  device: string,
): KernelInputs<readonly string[]> {
  return mapInputs(inputs, (t) => t.to(device));
}

/**
 * The kernel that runs `op` on `device` for these inputs and outputs: the backend's own (if it
 * supports the call), a device-agnostic one, or (when the user opted in with
 * setFallback(backend, "cpu")) the cpu kernel behind copies.
 */
export function resolveKernel<const N extends readonly string[], A, D>(
  op: OpDef<N, A, D>,
  device: Device,
  inputs: KernelInputs<N>,
  outputs: OutputSpecs,
): Kernel<N, A, D> {
  const kernel = findKernel(op, device.type);
  if (kernel && (kernel.supports?.(inputs, outputs) ?? true)) return kernel;
  const any = op as unknown as AnyOpDef;
  const dtypes = inputList(any, inputs).map((t) => (t ? t.dtype.name : "none"));
  // A kernel that declined: it exists, but not for these dtypes.
  const what = kernel
    ? `no kernel on backend "${device.type}" for ${outputs.map((o) => o.dtype.name).join(", ")} results`
    : `no kernel on backend "${device.type}"`;
  const cpuKernel: AnyKernel | undefined =
    device.type === "cpu" ? undefined : findKernel(any, "cpu");
  if (cpuKernel && fallbackOf(device.type) === "cpu") {
    return {
      run: (ins, attrs, outs, derived) => {
        const warning = `tsnpu: op "${op.name}" has ${what}; running it on the cpu and copying back (warned once)`;
        if (!warnedFallbacks.has(warning)) {
          warnedFallbacks.add(warning);
          console.warn(warning);
        }
        const results = cpuKernel.run(movedTo(ins, "cpu"), attrs, outs, derived);
        return results.map((r) => r.to(device));
      },
    };
  }
  // No kernel at all for this device: its backend package was not imported (the cpu device
  // itself comes with @tsnpu/tensor, its kernels do not).
  const missingImport =
    !kernel && kernelsOf(device.type).length === 0 ? importAdvice(device.type) : undefined;
  const advice = missingImport
    ? `no kernels are registered for the "${device.type}" device; ${missingImport}`
    : cpuKernel
      ? `call setFallback("${device.type}", "cpu") to run it on the cpu with copies, or move the tensors with .cpu()`
      : `no backend implements it for these dtypes; move the tensors with .cpu() or register a kernel with registerKernel("${op.name}", "${device.type}", ...)`;
  throw new KernelNotFoundError(
    op.name,
    device.type,
    dtypes,
    `op "${op.name}" has ${what} (inputs: ${dtypes.join(", ") || "none"}): ${advice}`,
  );
}

/** Runs an op: checks devices, validates through the meta function, then runs or records it. */
export function dispatch<const N extends readonly string[], A, D>(
  op: OpDef<N, A, D>,
  inputs: OpInputs<N>,
  attrs: A,
): Tensor[] {
  const list = inputList(op as unknown as AnyOpDef, inputs);
  const device = commonDevice(op.name, list);
  const { outputs, derived } = op.meta(inputs, attrs);
  if (list.some((t) => t?.isSymbolic))
    return recordNode(op, inputs, attrs, outputs, derived, device);
  getBackend(device.type); // a clear error when the device's backend package was never imported
  // The meta function accepted the inputs: declared ones are tensors now.
  const validated = inputs as unknown as KernelInputs<N>;
  const kernel = resolveKernel(op, device, validated, outputs);
  const run = () => kernel.run(validated, attrs, outputs, derived);
  // Inside a replayed kernel, this op's results are not the node's: no planned place for them.
  return plannedOutputsOffered() ? withoutPlannedOutputs(run) : run();
}

/** dispatch() for the common single-output op. */
export function dispatch1<const N extends readonly string[], A, D>(
  op: OpDef<N, A, D>,
  inputs: OpInputs<N>,
  attrs: A,
): Tensor {
  const [out] = dispatch(op, inputs, attrs);
  return out as Tensor;
}
