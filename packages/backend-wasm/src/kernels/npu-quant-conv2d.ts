// wasm kernel of npu_quant_conv2d (schema and validation: tensor/src/ops/npu-quant-conv2d.ts).
// The whole op runs in wasm on pointers into the runtime's memory. Weights are packed once per
// weight tensor and geometry: at compile time in graph mode (freed by the graph's dispose), on
// first use eagerly (cached by the weight's storage: repacked when the storage's version says it
// may have been written, freed when it is disposed). FinalizationRegistry is the safety net for
// what nobody disposes.

import {
  Tensor,
  decodeQuantScales,
  npuQuantConv2dOp,
  registerKernel,
  type KernelOf,
  type OutputSpecs,
  type QuantConv2dGeometry,
  type Storage,
} from "@tsnpu/tensor";
import type { PackedQuantConv2d, WasmRuntime } from "../runtime/index.js";
import { currentRuntime } from "../backend.js";
import { addressOf, withTemps } from "./shared.js";

/** Packed weights plus a buffer for the decoded scales. */
interface Prepared {
  readonly runtime: WasmRuntime;
  readonly packed: PackedQuantConv2d;
  readonly scalePtr: number;
  /** Graph mode with a constant scale: decoded once, at compile time. */
  scaleWritten: boolean;
  freed: boolean;
}

const released = new FinalizationRegistry<Prepared>((p) => release(p));

function release(p: Prepared): void {
  if (p.freed) return;
  p.freed = true;
  released.unregister(p);
  p.runtime.freePacked(p.packed);
  p.runtime.free(p.scalePtr);
}

function prepare(g: QuantConv2dGeometry, weight: Tensor): Prepared {
  const runtime = currentRuntime();
  return {
    runtime,
    packed: runtime.packQuantConv2dWeights(g, weight.toTypedArray() as Int8Array),
    scalePtr: runtime.alloc(g.cout * 4),
    scaleWritten: false,
    freed: false,
  };
}

const geometryKey = (g: QuantConv2dGeometry) => Object.values(g).join(",");
/** A packed weight and the storage version it was packed from. */
interface CacheEntry {
  readonly prepared: Prepared;
  readonly version: number;
}
const eagerCache = new WeakMap<Storage, Map<string, CacheEntry>>();

/**
 * Eager calls pack once per (weight storage, geometry) and reuse it while the storage's
 * version is unchanged. Packing reads the weight, so a disposed weight throws DisposedError.
 */
function preparedFor(g: QuantConv2dGeometry, weight: Tensor): Prepared {
  const storage = weight.storage;
  const key = `${weight.offset}|${weight.strides.join(",")}|${geometryKey(g)}`;
  const byGeometry = eagerCache.get(storage);
  const cached = byGeometry?.get(key);
  if (cached && cached.version === storage.version && !cached.prepared.runtime.isDisposed)
    return cached.prepared;
  if (cached) {
    release(cached.prepared);
    byGeometry!.delete(key);
  }
  const prepared = prepare(g, weight);
  const entry = { prepared, version: storage.version }; // read after packing: packing reads the storage
  if (byGeometry) byGeometry.set(key, entry);
  else {
    const entries = new Map([[key, entry]]);
    eagerCache.set(storage, entries);
    storage.onDispose(() => {
      for (const e of entries.values()) release(e.prepared);
      entries.clear();
    });
  }
  released.register(storage, prepared, prepared);
  return prepared;
}

/**
 * Decodes the int64 scale words (spec step 4) into the prepared float32 buffer, both read and
 * written in place in wasm memory (a strided scale is copied first, and the copy freed).
 */
function writeScales(p: Prepared, scale: Tensor): void {
  const s = scale.contiguous();
  try {
    const words = p.runtime.view(BigInt64Array, addressOf(s), s.numel());
    decodeQuantScales(words, p.runtime.view(Float32Array, p.scalePtr, s.numel()));
  } finally {
    if (s !== scale) s.dispose();
  }
}

/**
 * One call with prepared weights: `x` and `bias` contiguous, `out` of the call's result (float16,
 * or what the epilogue block `epi` stores, see WasmRuntime.quantConv2d).
 */
function call(
  g: QuantConv2dGeometry,
  p: Prepared,
  x: Tensor,
  scale: Tensor,
  bias: Tensor | null,
  out: Tensor,
  epi: number,
): void {
  if (!p.scaleWritten) writeScales(p, scale);
  p.runtime.quantConv2d(
    g,
    addressOf(x),
    p.packed,
    bias ? addressOf(bias) : 0,
    p.scalePtr,
    addressOf(out),
    epi,
  );
}

const eagerKernel: KernelOf<typeof npuQuantConv2dOp>["run"] = withTemps(
  ({ input, weight, scale, bias }, _attrs, [spec], g, temp) => {
    const p = preparedFor(g, weight);
    const out = Tensor.forOutput(spec.shape, spec.dtype, input.device);
    call(g, p, temp(input.contiguous()), scale, bias && temp(bias.contiguous()), out, 0);
    return [out];
  },
);

/** A QuantConv2d of a compiled graph: weights packed (and a constant scale decoded) once. */
export interface CompiledQuantConv2d {
  /** One call into `out` (float16, or what `epi` stores: WasmRuntime.takesEpilogue); strided inputs are copied first. */
  run(input: Tensor, scale: Tensor, bias: Tensor | null, out: Tensor, epi: number): void;
  dispose(): void;
}

/** Packs `weight` (a graph constant) for geometry `g`; decodes `scale` now when it is one too. */
export function compileQuantConv2d(
  weight: Tensor,
  scale: Tensor,
  g: QuantConv2dGeometry,
): CompiledQuantConv2d {
  const p = prepare(g, weight);
  if (!scale.isSymbolic) {
    writeScales(p, scale);
    p.scaleWritten = true;
  }
  // The packed handle's own geometry: the runtime then accepts it without comparing fields.
  const fixed = p.packed.geometry;
  const strided = withTemps<
    { input: Tensor; scale: Tensor; bias: Tensor | null; out: Tensor },
    number,
    null
  >(({ input, scale, bias, out }, epi, _specs, _d, temp) => {
    call(fixed, p, temp(input.contiguous()), scale, bias && temp(bias.contiguous()), out, epi);
    return [];
  });
  const compiled: CompiledQuantConv2d = {
    run: (input, scale, bias, out, epi) => {
      // Graph intermediates are contiguous: no per-call bookkeeping then.
      if (input.isContiguous() && (!bias || bias.isContiguous()))
        call(fixed, p, input, scale, bias, out, epi);
      else strided({ input, scale, bias, out }, epi, [] as unknown as OutputSpecs, null);
    },
    dispose: () => release(p),
  };
  released.register(compiled, p, p);
  return compiled;
}

registerKernel(npuQuantConv2dOp, "wasm", {
  run: eagerKernel,
  prepare: ({ weight, scale }, _attrs, [spec], g) => {
    if (weight.isSymbolic) return eagerKernel;
    const conv = compileQuantConv2d(weight, scale, g);
    const kernel: KernelOf<typeof npuQuantConv2dOp>["run"] = ({ input, scale, bias }) => {
      const out = Tensor.forOutput(spec.shape, spec.dtype, input.device);
      conv.run(input, scale, bias, out, 0);
      return [out];
    };
    return Object.assign(kernel, { dispose: conv.dispose });
  },
});
