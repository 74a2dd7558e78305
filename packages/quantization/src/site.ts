// What the quantizer needs from a float model, whatever built it (@tsnpu/nn layers or an ONNX
// import): its convs, a way to run it while watching their inputs, and a way to rebuild it with
// some convs replaced by int8 layers and everything else in float16.

import type { Module } from "@tsnpu/nn";
import { ArgumentError, Tensor, describe, float32 } from "@tsnpu/tensor";
import type { FloatConv, QuantizedConv2d } from "./layer.js";
import type { ChannelStream } from "./streams.js";

export interface ConvSite {
  /** The layer's name: a module path ("0", "features.3") or an ONNX node's name. */
  readonly name: string;
  /** The tensor it reads: convs reading the same one share one quantize step. */
  readonly input: string;
  /** Its float weight and bias (BatchNormalization folded in), or null when its form is not a plain conv. */
  readonly conv: FloatConv | null;
  /** Why it stays float16, or null when it can be quantized. */
  readonly reason: string | null;
  /**
   * The float16 conv whose output only this conv reads (its output channels may be rescaled,
   * equalize.ts), or null.
   */
  readonly producer: string | null;
}

export interface FloatModel {
  readonly sites: readonly ConvSite[];
  /** Channel streams between convs that may be rescaled (streams.ts); none for nn models. */
  readonly streams: readonly ChannelStream[];
  /** The batch as the model's inputs; typed errors name `calibration[index]` (or `what`). */
  inputsOf(batch: unknown, what: string): Tensor[];
  /** Runs the float model, handing each conv's input to `see`. */
  observe(inputs: readonly Tensor[], see: (site: ConvSite, input: Tensor) => void): void;
  /**
   * The model in float16 with the convs in `layers` (by site name) replaced by int8 layers and
   * each producer conv in `divisors` (by name) with its output channel c divided by divisors[c].
   */
  build(
    layers: ReadonlyMap<string, QuantizedConv2d>,
    divisors: ReadonlyMap<string, ArrayLike<number>>,
  ): Module;
}

/** A float tensor's values as float32 on the host. */
export function hostFloats(t: Tensor): Float32Array {
  return t.to(float32).toTypedArray() as Float32Array;
}

/** Checks one input of a batch: a float tensor of `shape` (null: any; a null dim: any size) with finite values. */
export function checkBatchInput(
  t: unknown,
  what: string,
  shape: readonly (number | null)[] | null,
): Tensor {
  const shapeText = shape ? ` of shape [${shape.map((d) => d ?? "N").join(", ")}]` : "";
  if (!(t instanceof Tensor) || !t.dtype.isFloatingPoint || t.isSymbolic)
    throw new ArgumentError(
      "quantize",
      what,
      `a float32 or float16 tensor${shapeText}`,
      describe(t),
    );
  const fits =
    !shape || (t.ndim === shape.length && shape.every((d, i) => d === null || d === t.shape[i]));
  if (!fits) throw new ArgumentError("quantize", what, `a tensor${shapeText}`, describe(t));
  const values = hostFloats(t);
  const bad = values.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0)
    throw new ArgumentError(
      "quantize",
      what,
      "finite values (no NaN or Infinity)",
      `${values[bad]} at flat index ${bad}`,
    );
  return t;
}
