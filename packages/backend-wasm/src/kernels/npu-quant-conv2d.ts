// wasm kernel of npu_quant_conv2d (schema and validation: tensor/src/ops/npu-quant-conv2d.ts).
// The whole op runs in wasm on pointers into the runtime's memory. Weights are packed once per
// weight tensor and geometry: at compile time in graph mode, on first use eagerly (cached by
// the weight's storage, freed with it).

import {
  Tensor, decodeQuantScales, npuQuantConv2dOp, registerKernel,
  type KernelOf, type QuantConv2dGeometry, type Storage,
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
}

const released = new FinalizationRegistry<Prepared>((p) => release(p));

function release(p: Prepared): void {
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
  };
}

const geometryKey = (g: QuantConv2dGeometry) => Object.values(g).join(",");
const eagerCache = new WeakMap<Storage, Map<string, Prepared>>();

/** Eager calls pack once per (weight storage, geometry) and reuse it. */
function preparedFor(g: QuantConv2dGeometry, weight: Tensor): Prepared {
  let byGeometry = eagerCache.get(weight.storage);
  if (!byGeometry) {
    byGeometry = new Map();
    eagerCache.set(weight.storage, byGeometry);
  }
  const key = `${weight.offset}|${weight.strides.join(",")}|${geometryKey(g)}`;
  let p = byGeometry.get(key);
  if (!p) {
    p = prepare(g, weight);
    byGeometry.set(key, p);
    released.register(byGeometry, p);
  }
  return p;
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
function quantConv2dKernel(prepared: (g: QuantConv2dGeometry, weight: Tensor) => [QuantConv2dGeometry, Prepared]): KernelOf<typeof npuQuantConv2dOp>["run"] {
  return withTemps(({ input, weight, scale, bias }, _attrs, [spec], geometry, temp) => {
    const [g, p] = prepared(geometry, weight);
    const x = temp(input.contiguous());
    const b = bias ? temp(bias.contiguous()) : null;
    if (!p.scaleWritten) writeScales(p, scale);
    const out = Tensor.forOutput(spec.shape, spec.dtype, input.device);
    p.runtime.quantConv2d(g, addressOf(x), p.packed, b ? addressOf(b) : 0, p.scalePtr, addressOf(out));
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
    released.register(kernel, p);
    return kernel;
  },
});
