// tsnpu/onnx: ONNX import (loadOnnx, OnnxModule, OnnxError), from @tsnpu/onnx.
export * from "@tsnpu/onnx";
