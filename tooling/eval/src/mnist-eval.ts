// MNIST top-1 on the 2,004 held-out digits: the shipped CNN in float32 (tsnpu's loadOnnx and
// onnxruntime-web, which must agree digit by digit) and, per activation method, its int8 version.
import { MNIST_CNN, mnistCnnBytes, mnistInput } from "@tsnpu/models";
import * as ort from "onnxruntime-web";
import * as torch from "tsnpu";
import { type OnnxModule, loadOnnx } from "tsnpu/onnx";
import { type ActivationMethod, type QuantizationReport, quantize } from "@tsnpu/quantization";
import { DEVICES, type EvalDevice, hostValues } from "./devices.js";
import { argmaxRows, top1 } from "./metrics.js";
import { type DigitSet, mnistTestSet, mnistTrainSet, slice, spread } from "./mnist-data.js";

/** Digits per batch: 2,004 = 12 x 167, so every batch has the same (static) shape. */
export const MNIST_BATCH = 167;

export const loadMnistCnn = async (): Promise<OnnxModule> =>
  loadOnnx(await mnistCnnBytes(), { inputShapes: { [MNIST_CNN.input]: [MNIST_BATCH, 1, 28, 28] } });

/** The set's digits as [MNIST_BATCH, 1, 28, 28] float32 batches (the set's size is a multiple). */
export function mnistBatches(set: DigitSet): torch.Tensor[] {
  const batches: torch.Tensor[] = [];
  for (let from = 0; from < set.labels.length; from += MNIST_BATCH)
    batches.push(mnistInput(slice(set, from, from + MNIST_BATCH).pixels));
  return batches;
}

/** Predicted classes of `run` over the batches (inputs moved to `device`, `dtype`). */
export function predict(
  run: (x: torch.Tensor) => torch.Tensor,
  batches: readonly torch.Tensor[],
  device: string,
  dtype: torch.DType = torch.float32,
): Int32Array {
  const out: number[] = [];
  for (const x of batches) {
    torch.tidy(() => {
      out.push(...argmaxRows(hostValues(run(x.to(dtype).to(device))), MNIST_CNN.classes));
    });
  }
  return Int32Array.from(out);
}

/** onnxruntime-web's predictions for the same bytes and digits (the independent float reference). */
export async function predictOrt(bytes: Uint8Array, set: DigitSet): Promise<Int32Array> {
  ort.env.wasm.numThreads = 1;
  ort.env.logLevel = "error";
  const session = await ort.InferenceSession.create(bytes, { logSeverityLevel: 3 });
  const n = set.labels.length;
  const result = await session.run({
    [MNIST_CNN.input]: new ort.Tensor("float32", set.pixels, [n, 1, 28, 28]),
  });
  await session.release();
  return argmaxRows(result[MNIST_CNN.output]!.data as Float32Array, MNIST_CNN.classes);
}

export interface MnistFloat {
  readonly digits: number;
  readonly modelBytes: number;
  readonly tsnpuTop1: number;
  readonly ortTop1: number;
  /** Digits where tsnpu and onnxruntime-web predict the same class. */
  readonly agreeing: number;
}

/** Float32 top-1 on `set` (default: the held-out digits; its size a multiple of MNIST_BATCH). */
export async function evaluateMnistFloat(set: DigitSet = mnistTestSet()): Promise<MnistFloat> {
  const bytes = await mnistCnnBytes();
  const model = await loadMnistCnn();
  const ours = predict((x) => model.run(x)[0]!, mnistBatches(set), "cpu");
  const theirs = await predictOrt(bytes, set);
  return {
    digits: set.labels.length,
    modelBytes: bytes.length,
    tsnpuTop1: top1(ours, set.labels),
    ortTop1: top1(theirs, set.labels),
    agreeing: ours.filter((p, i) => p === theirs[i]).length,
  };
}

export interface MnistInt8 {
  readonly method: ActivationMethod;
  readonly report: QuantizationReport;
  /** top-1 of the int8 model on each device evaluated. */
  readonly top1: Readonly<Partial<Record<EvalDevice, number>>>;
  /** Whether every device predicted the same class as the cpu for every digit. */
  readonly devicesAgree: boolean;
}

/** Calibration digits: 4 batches spread over the training digits (never the held-out ones). */
const CALIBRATION_BATCHES = 4;

/** The CNN quantized with `method`, its report, and its top-1 on cpu, wasm and npu. */
export async function evaluateMnistInt8(
  method: ActivationMethod,
  devices: readonly EvalDevice[] = DEVICES,
  test: DigitSet = mnistTestSet(),
): Promise<MnistInt8> {
  const batches = mnistBatches(test);
  const calibration = mnistBatches(spread(mnistTrainSet(), CALIBRATION_BATCHES * MNIST_BATCH));
  const { model, report } = await quantize(await loadMnistCnn(), calibration, {
    activation: method,
    heldOut: batches[0]!,
  });
  const result: Partial<Record<EvalDevice, number>> = {};
  const predictions = devices.map((device) => {
    model.to(device);
    const classes = predict((x) => model.run(x)[0]!, batches, device, torch.float16);
    result[device] = top1(classes, test.labels);
    return classes.join();
  });
  model.dispose();
  return {
    method,
    report,
    top1: result,
    devicesAgree: predictions.every((p) => p === predictions[0]),
  };
}
