// tsnpu: everything a torch-style script needs in one import, with every backend registered.
//   import * as torch from "tsnpu";
//   import { QuantConv2d } from "tsnpu/contrib";
import "@tsnpu/backend-cpu";

export * from "@tsnpu/tensor";
export {
  Module,
  Parameter,
  Sequential,
  Conv2d,
  BatchNorm2d,
  ReLU,
  MaxPool2d,
  Flatten,
  Linear,
  compile,
  functional,
  contrib,
} from "@tsnpu/nn";
export type {
  StateDict,
  LoadStateDictResult,
  CompileOptions,
  CompiledModel,
  IntPair,
  Conv2dOptions,
  MaxPool2dOptions,
} from "@tsnpu/nn";
export * as nn from "@tsnpu/nn";
/** torch.npu: the simulated Ascend device (setDevice, backend, getDeviceProperties, profile, ...). */
export { npu } from "@tsnpu/backend-npu-sim";
/** The wasm device: `await torch.wasm.ready({ numThreads })`, then `.to("wasm")`. */
export { wasm } from "@tsnpu/backend-wasm";
