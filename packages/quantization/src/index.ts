// @tsnpu/quantization: post-training int8 quantization for Ascend (npu_quantize + QuantConv2d).
export {
  quantize,
  type Calibration,
  type QuantizeOptions,
  type QuantizeProgress,
  type QuantizeResult,
  type QuantizedModel,
} from "./quantize.js";
export {
  QuantizedConv2d,
  type ConvGeometry,
  type QuantConvTensors,
  type WeightMethod,
} from "./layer.js";
export { FoldedBatchNorm2d } from "./nn-model.js";
export type { ActivationMethod } from "./observers.js";
export type { Soc } from "./products.js";
export { QuantizationReport, type LayerReport, type ReportJSON } from "./report.js";
export { saveQuantized, loadQuantized } from "./save.js";
export { exportOnnx } from "./export-onnx.js";
