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
 * The kernel body. Eager calls find the packed weights per call (the geometry comes from the
 * meta function); a static graph fixes both at compile time, and passes the packed handle's own
 * geometry object, which the runtime then accepts without comparing field by field.
 */
function quantConv2dKernel(
  prepared: (g: QuantConv2dGeometry, weight: Tensor) => [QuantConv2dGeometry, Prepared],
): KernelOf<typeof npuQuantConv2dOp>["run"] {
  return withTemps(({ input, weight, scale, bias }, _attrs, [spec], geometry, temp) => {
    const [g, p] = prepared(geometry, weight);
    const x = temp(input.contiguous());
    const b = bias ? temp(bias.contiguous()) : null;
    if (!p.scaleWritten) writeScales(p, scale);
    const out = Tensor.forOutput(spec.shape, spec.dtype, input.device);
    p.runtime.quantConv2d(
      g,
      addressOf(x),
      p.packed,
      b ? addressOf(b) : 0,
      p.scalePtr,
      addressOf(out),
    );
    return [out];
  });
}

const eagerKernel = quantConv2dKernel((g, weight) => [g, preparedFor(g, weight)]);

registerKernel(npuQuantConv2dOp, "wasm", {
  run: eagerKernel,
  prepare: ({ weight, scale }, _attrs, _outputs, g) => {
    if (weight.isSymbolic) return eagerKernel;
    const p = prepare(g, weight);
    if (!scale.isSymbolic) {
      writeScales(p, scale);
      p.scaleWritten = true;
    }
    const fixed: [QuantConv2dGeometry, Prepared] = [p.packed.geometry, p];
    const kernel = quantConv2dKernel(() => fixed);
    released.register(kernel, p, p);
    return Object.assign(kernel, { dispose: () => release(p) });
  },
});
