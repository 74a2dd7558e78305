// tsnpu/quantization: post-training int8 quantization for Ascend (quantize, saveQuantized,
// loadQuantized, the report), from @tsnpu/quantization.
export * from "@tsnpu/quantization";
