// quantize(): post-training quantization of a float model into npu_quantize + QuantConv2d layers
// (docs/semantics/int8-networks.md): observe each eligible conv's input over the calibration
// batches, quantize its (BatchNorm-folded) weights per output channel, and rebuild the model in
// float16 with those convs as int8 layers.

import { Sequential, type Module } from "@tsnpu/nn";
import { OnnxModule } from "@tsnpu/onnx";
import {
  ArgumentError,
  TsnpuError,
  Tensor,
  conv2d,
  describe,
  float16,
  float32,
  tensor,
  tidy,
} from "@tsnpu/tensor";
import {
  QuantizedConv2d,
  biasCorrected,
  prePadded,
  quantConvTensors,
  quantizeWeights,
  type WeightMethod,
  type FloatConv,
} from "./layer.js";
import { dividedChannels } from "./equalize.js";
import { nnModel } from "./nn-model.js";
import { RangeObserver, type ActivationMethod, type ActivationParams } from "./observers.js";
import { onnxModel } from "./onnx-model.js";
import { planRescaling, rescaledConv } from "./rescale.js";
import { SOCS, productLimit, type Soc } from "./products.js";
import { QuantizationReport, compareOutputs, type LayerReport } from "./report.js";
import { hostFloats, type ConvSite, type FloatModel } from "./site.js";

export interface QuantizeProgress {
  readonly batchesDone: number;
  /** null when the calibration iterable does not say how many batches it has. */
  readonly totalBatches: number | null;
}

export interface QuantizeOptions {
  /** How activation ranges are chosen (default "minmax"). */
  readonly activation?: ActivationMethod;
  /** The percentile for activation "percentile", in (0, 100] (default 99.99). */
  readonly percentile?: number;
  /** How weight scales are chosen per output channel (default "minmax": max|W[c]| / 127; "mse": the clip with the least squared error). */
  readonly weights?: WeightMethod;
  /** Symmetric activations (z_x = 0); default false (asymmetric, z_x in [-128, 127]). */
  readonly symmetric?: boolean;
  /** A batch the calibration did not see: the report compares each int8 layer with its float layer on it. */
  readonly heldOut?: Tensor | readonly Tensor[];
  /**
   * The Ascend product the model is for (npu-sim's SocName); its QuantConv2d limits keep some
   * convs float16 (Ascend310P: output W == 1). Default: none beyond the op's own.
   */
  readonly soc?: Soc;
  /** Called after each calibration batch. */
  readonly onProgress?: (progress: QuantizeProgress) => void;
}

export type Calibration =
  | Iterable<Tensor | readonly Tensor[]>
  | AsyncIterable<Tensor | readonly Tensor[]>;

/** The quantized model's type: an OnnxModule for an OnnxModule, a Sequential for nn layers. */
export type QuantizedModel<M> = M extends OnnxModule ? OnnxModule : Sequential;

export interface QuantizeResult<M extends Module> {
  readonly model: QuantizedModel<M>;
  readonly report: QuantizationReport;
}

const METHODS: readonly ActivationMethod[] = ["minmax", "percentile", "mse"];

function checkOptions(
  o: QuantizeOptions,
): Required<Pick<QuantizeOptions, "activation" | "percentile" | "symmetric" | "weights">> {
  if (typeof o !== "object" || o === null)
    throw new ArgumentError("quantize", "options", "an object", describe(o));
  const activation = o.activation ?? "minmax";
  if (!METHODS.includes(activation))
    throw new ArgumentError(
      "quantize",
      "options.activation",
      METHODS.map((m) => `"${m}"`).join(", "),
      describe(activation),
    );
  const percentile = o.percentile ?? 99.99;
  if (typeof percentile !== "number" || !(percentile > 0 && percentile <= 100))
    throw new ArgumentError(
      "quantize",
      "options.percentile",
      "a number in (0, 100]",
      describe(percentile),
    );
  const weights = o.weights ?? "minmax";
  if (weights !== "minmax" && weights !== "mse")
    throw new ArgumentError("quantize", "options.weights", '"minmax", "mse"', describe(weights));
  const symmetric = o.symmetric ?? false;
  if (typeof symmetric !== "boolean")
    throw new ArgumentError("quantize", "options.symmetric", "a boolean", describe(symmetric));
  if (o.soc !== undefined && !SOCS.includes(o.soc))
    throw new ArgumentError(
      "quantize",
      "options.soc",
      SOCS.map((m) => `"${m}"`).join(", "),
      describe(o.soc),
    );
  if (o.onProgress !== undefined && typeof o.onProgress !== "function")
    throw new ArgumentError("quantize", "options.onProgress", "a function", describe(o.onProgress));
  return { activation, percentile, symmetric, weights };
}

function floatModelOf(model: unknown): FloatModel {
  if (model instanceof OnnxModule) return onnxModel(model);
  if (model instanceof Sequential) return nnModel(model);
  throw new ArgumentError(
    "quantize",
    "model",
    "an OnnxModule or a Sequential of @tsnpu/nn layers",
    describe(model),
  );
}

function totalOf(calibration: object): number | null {
  const n =
    (calibration as { length?: unknown; size?: unknown }).length ??
    (calibration as { size?: unknown }).size;
  return typeof n === "number" ? n : null;
}

async function* batchesOf(calibration: unknown): AsyncGenerator<unknown> {
  const c = calibration as Partial<Iterable<unknown> & AsyncIterable<unknown>> | null;
  if (
    c instanceof Tensor ||
    typeof c !== "object" ||
    c === null ||
    !(Symbol.iterator in c || Symbol.asyncIterator in c)
  )
    throw new ArgumentError(
      "quantize",
      "calibration",
      "an iterable or async iterable of input batches",
      describe(calibration),
    );
  if (Symbol.asyncIterator in c) yield* c as AsyncIterable<unknown>;
  else yield* c as Iterable<unknown>;
}

/** Runs the float model on a batch; a batch the model refuses (a meta function's error) is named. */
function runFloat(what: string, fn: () => void): void {
  try {
    tidy(fn);
  } catch (e) {
    if (!(e instanceof TsnpuError) || (e instanceof ArgumentError && e.op === "quantize")) throw e;
    const error = new ArgumentError(
      "quantize",
      what,
      "a batch the model accepts",
      `one it refuses: ${e.message}`,
    );
    error.cause = e;
    throw error;
  }
}

/**
 * The float layer's output (float32) and the int8 layer's (float16, widened) on one input, in
 * the float layer's own units: a rescaled layer (rescale.ts) reads its input divided by
 * `inputFactors` and writes its output channel c divided by `outputDivisors[c]`, so both outputs
 * are multiplied back before comparing.
 */
function layerAccuracy(
  conv: FloatConv,
  layer: QuantizedConv2d,
  x: Tensor,
  inputFactors: ArrayLike<number> | undefined,
  outputDivisors: ArrayLike<number> | undefined,
): { cosine: number; maxAbsError: number } {
  return tidy(() => {
    // The int8 layers are built on the cpu.
    const x32 = inputFactors
      ? tensor(dividedChannels(hostFloats(x), x.shape, inputFactors)).reshape([...x.shape])
      : x.to("cpu").to(float32);
    const reference = conv2d(
      prePadded(x32, conv.prePad, 0),
      tensor(conv.weight).reshape([...conv.weightShape]),
      tensor(conv.bias),
      conv,
    );
    const undo = (t: Tensor) => {
      const v = hostFloats(t);
      return outputDivisors
        ? dividedChannels(
            v,
            t.shape,
            Float32Array.from(outputDivisors, (d) => 1 / d),
          )
        : v;
    };
    return compareOutputs(undo(reference), undo(layer.forward(x32.to(float16))));
  });
}

/**
 * Quantizes `model` for Ascend: each eligible conv becomes npu_quantize + QuantConv2d (int8 in,
 * float16 out), everything else runs in float16. `calibration` yields input batches (a tensor,
 * or an array of tensors for a model with several inputs) in the model's input shape.
 */
export async function quantize<M extends Module>(
  model: M,
  calibration: Calibration,
  options: QuantizeOptions = {},
): Promise<QuantizeResult<M>> {
  const settings = checkOptions(options);
  const float = floatModelOf(model);
  const observers = new Map<string, RangeObserver>();
  const opEligible = float.sites.filter((s) => s.reason === null);
  for (const s of opEligible)
    if (!observers.has(s.input)) observers.set(s.input, new RangeObserver());
  /** By site name: the width of its input (the product limits depend on it). */
  const inputWidths = new Map<string, number>();
  const totalBatches = totalOf(calibration as object);
  let batchesDone = 0;
  for await (const batch of batchesOf(calibration)) {
    const what = `calibration[${batchesDone}]`;
    const inputs = float.inputsOf(batch, what);
    runFloat(what, () =>
      float.observe(inputs, (site, x) => {
        inputWidths.set(site.name, x.shape[3] ?? 1);
        observers.get(site.input)?.observe(hostFloats(x), x.shape);
      }),
    );
    batchesDone++;
    options.onProgress?.({ batchesDone, totalBatches });
  }
  if (batchesDone === 0)
    throw new ArgumentError(
      "quantize",
      "calibration",
      "at least one input batch",
      "an empty iterable",
    );

  const limits = new Map(
    opEligible.map((s) => [s.name, productLimit(options.soc, s.conv!, inputWidths.get(s.name)!)]),
  );
  const eligible = opEligible.filter((s) => limits.get(s.name) === null);

  const layers = new Map<string, QuantizedConv2d>();
  const params = new Map<string, ActivationParams>();
  const firstReader = new Map<string, string>();
  const convs = new Map<string, FloatConv>();
  const rescaling = planRescaling(float, new Set(eligible.map((s) => s.name)), (site) =>
    observers.get(site.input)!.channelAbsMax(),
  );
  const factors = rescaling.inputFactors;
  for (const site of eligible) {
    const f = factors.get(site.name);
    const observer = f ? observers.get(site.input)!.divided(f) : observers.get(site.input)!;
    const conv = rescaledConv(site, rescaling);
    convs.set(site.name, conv);
    const act =
      params.get(site.input) ?? observer.params({ method: settings.activation, ...settings });
    params.set(site.input, act);
    // The int8 layer gets the corrected bias; the report compares it with the float conv.
    const target = biasCorrected(conv, observer.channelMeans(act), settings.weights);
    layers.set(
      site.name,
      new QuantizedConv2d(conv, quantConvTensors(target, act, settings.weights)),
    );
  }

  const accuracy = new Map<string, { cosine: number; maxAbsError: number }>();
  if (options.heldOut !== undefined) {
    const inputs = float.inputsOf(options.heldOut, "options.heldOut");
    runFloat("options.heldOut", () =>
      float.observe(inputs, (site, x) => {
        const layer = layers.get(site.name);
        if (layer)
          accuracy.set(
            site.name,
            layerAccuracy(
              convs.get(site.name)!,
              layer,
              x,
              factors.get(site.name),
              rescaling.outputDivisors.get(site.name),
            ),
          );
      }),
    );
  }

  const reports = float.sites.map((site: ConvSite): LayerReport => {
    const layer = layers.get(site.name);
    if (!layer)
      return {
        name: site.name,
        status: "float16",
        reason: site.reason ?? limits.get(site.name) ?? "",
      };
    const act = params.get(site.input)!;
    const sw = quantizeWeights(convs.get(site.name)!, settings.weights).scales;
    const first = firstReader.get(site.input);
    if (!first) firstReader.set(site.input, site.name);
    return {
      name: site.name,
      status: "int8",
      inputScale: act.scale,
      inputZeroPoint: act.zeroPoint,
      ...(first ? { sharesQuantizeWith: first } : {}),
      weightScaleMin: Math.min(...sw),
      weightScaleMax: Math.max(...sw),
      ...(rescaling.notes.has(site.name) ? { rewrite: rescaling.notes.get(site.name)! } : {}),
      ...accuracy.get(site.name),
    };
  });
  const report = new QuantizationReport(reports, {
    activation: settings.activation,
    symmetric: settings.symmetric,
    batches: batchesDone,
    weights: settings.weights,
  });
  return {
    model: float.build(layers, rescaling.float16Divisors) as QuantizedModel<M>,
    report,
  };
}
