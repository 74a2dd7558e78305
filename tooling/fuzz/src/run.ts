// Runs one case on one target, eagerly or through compile() (traced once, then replayed).

import { NetworkRefusedError } from "@tsnpu/backend-npu-sim";
import { Module, QuantConv2d, compile } from "@tsnpu/nn";
import {
  UnsupportedError,
  float16,
  float32,
  getBackend,
  int32,
  int64,
  int8,
  npuQuantConv2d,
  npuTransQuantParam,
  type NpuQuantConv2dOptions,
  type Tensor,
} from "@tsnpu/tensor";
import type { ConvCase, FuzzCase, TransQuantParamCase } from "./cases.js";
import { convScaleWords } from "./expected.js";
import { float32FromBitsArray } from "./scale-bits.js";
import { Scope, place } from "./place.js";
import type { Target } from "./targets.js";

export type Mode = "eager" | "compiled";
export const MODES: readonly Mode[] = ["eager", "compiled"];

export type Outcome =
  | {
      readonly status: "ok";
      readonly value: Uint16Array | BigInt64Array;
      readonly shape: readonly number[];
    }
  | {
      readonly status: "refused";
      readonly message: string;
      /** The rules refused: a compiled network's per-layer rules, or the one eager message. */
      readonly rules: readonly string[];
    }
  | { readonly status: "error"; readonly message: string };

/** npu_quant_conv2d as a model, so graph mode can trace it (weight, scale, bias are constants). */
class FunctionalConv extends Module {
  constructor(
    private readonly weight: Tensor,
    private readonly scale: Tensor,
    private readonly options: NpuQuantConv2dOptions,
  ) {
    super();
  }
  forward(input: Tensor): Tensor {
    return npuQuantConv2d(input, this.weight, this.scale, this.options);
  }
}

/** npu_trans_quant_param as a model with the scale as its input. */
class TransQuantParam extends Module {
  constructor(private readonly offset: Tensor | null) {
    super();
  }
  forward(scale: Tensor): Tensor {
    return npuTransQuantParam(scale, this.offset);
  }
}

/** The model a conv case calls, and its input. */
function convModel(scope: Scope, c: ConvCase, device: string): { model: Module; input: Tensor } {
  const { g, layouts } = c;
  const weight = place(
    scope,
    Int8Array.from(c.weight),
    [g.cout, g.cin, g.kh, g.kw],
    int8,
    device,
    layouts.weight,
  );
  const bias = c.bias
    ? place(scope, Int32Array.from(c.bias), [g.cout], int32, device, layouts.bias)
    : null;
  const input = place(
    scope,
    Int8Array.from(c.input),
    [g.n, g.cin, g.h, g.w],
    int8,
    device,
    layouts.input,
  );
  if (c.kind === "functional") {
    const scale = place(scope, convScaleWords(c), [g.cout], int64, device, layouts.scale);
    const options: NpuQuantConv2dOptions = {
      strides: [g.strideH, g.strideW],
      pads: [g.padH, g.padW],
      dilations: [g.dilationH, g.dilationW],
      offsetX: g.offsetX,
      outputDtype: float16,
      bias,
    };
    return { model: new FunctionalConv(weight, scale, options), input };
  }
  // Built on cpu (its zero parameters are never used) and given the device's tensors.
  const m = new QuantConv2d(g.cin, g.cout, [g.kh, g.kw], float16, {
    stride: [g.strideH, g.strideW],
    padding: [g.padH, g.padW],
    dilation: [g.dilationH, g.dilationW],
    offsetX: g.offsetX,
    bias: bias !== null,
    offset: c.offset !== null,
  });
  m.weight.data = weight;
  if (m.bias && bias) m.bias.data = bias;
  m.scale.data = c.scaleBits
    ? place(scope, float32FromBitsArray(c.scaleBits), [g.cout], float32, device, layouts.scale)
    : place(scope, convScaleWords(c), [g.cout], int64, device, layouts.scale);
  if (m.offset && c.offset)
    m.offset.data = place(
      scope,
      Float32Array.from(c.offset),
      [g.cout],
      float32,
      device,
      layouts.scale,
    );
  return { model: m, input };
}

function transQuantParamModel(
  scope: Scope,
  c: TransQuantParamCase,
  device: string,
): { model: Module; input: Tensor } {
  const offset = c.offset
    ? place(scope, Float32Array.from(c.offset), c.offsetShape!, float32, device, "contiguous")
    : null;
  const input = place(
    scope,
    float32FromBitsArray(c.scaleBits),
    c.scaleShape,
    float32,
    device,
    c.layout,
  );
  return { model: new TransQuantParam(offset), input };
}

const bitsOf = (scope: Scope, out: Tensor) =>
  scope.keep(out).cpu().toTypedArray() as Uint16Array | BigInt64Array;

function sameBits(a: Uint16Array | BigInt64Array, b: Uint16Array | BigInt64Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function describeError(e: unknown): string {
  return e instanceof Error
    ? `${e.constructor.name}: ${e.message}`
    : `a thrown ${typeof e}: ${String(e)}`;
}

/** Runs `c` on `target` in `mode`. A typed UnsupportedError is a refusal; any other throw an error. */
export function runCase(c: FuzzCase, target: Target, mode: Mode): Outcome {
  const scope = new Scope();
  try {
    target.enter?.();
    const { model, input } =
      c.kind === "trans-quant-param"
        ? transQuantParamModel(scope, c, target.device)
        : convModel(scope, c, target.device);
    if (mode === "eager") {
      const out = scope.keep(model.forward(input));
      return { status: "ok", value: bitsOf(scope, out), shape: out.shape };
    }
    const compiled = compile(model, { backend: getBackend(target.backend), dynamic: false });
    const first = scope.keep(compiled(input));
    const value = bitsOf(scope, first);
    // The second call replays the graph built by the first.
    const replayed = bitsOf(scope, compiled(input));
    if (!sameBits(value, replayed))
      return { status: "error", message: "the replayed graph gave other bits than its first call" };
    return { status: "ok", value, shape: first.shape };
  } catch (e) {
    if (e instanceof NetworkRefusedError)
      return { status: "refused", message: e.message, rules: e.layers.map((l) => l.rule) };
    if (e instanceof UnsupportedError)
      return { status: "refused", message: e.message, rules: [e.message] };
    return { status: "error", message: describeError(e) };
  } finally {
    scope.dispose();
  }
}
